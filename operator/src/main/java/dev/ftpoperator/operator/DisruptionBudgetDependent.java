package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * With replicas > 1, a PodDisruptionBudget that lets a node drain evict one server pod at a time:
 * the others keep serving (and relaying) while it drains and comes back.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Names.MANAGED_SELECTOR,
            itemStore = StoreSharingManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class DisruptionBudgetDependent
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, FtpServer> {

  public DisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  public static PodDisruptionBudget desired(ResolvedFtpServer view) {
    FtpServer ftp = view.ftp();
    PodDisruptionBudget pdb =
        new PodDisruptionBudgetBuilder()
            .withMetadata(Names.meta(ftp, Names.disruptionBudget(ftp), Names.COMPONENT_SERVER))
            .withNewSpec()
            .withMaxUnavailable(new IntOrString(1))
            .withNewSelector()
            .withMatchLabels(Names.selector(ftp))
            .endSelector()
            .endSpec()
            .build();
    return Names.owned(pdb, ftp);
  }

  /** Reconcile precondition: one replica has nothing to keep up while another is evicted. */
  public static class Wanted implements Condition<PodDisruptionBudget, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<PodDisruptionBudget, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      return ResolvedFtpServer.of(context).replicated();
    }
  }
}

package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.Map;
import java.util.Optional;

/**
 * The data claim (/data), unless the FtpServer asks for emptyDir or names an existing claim. It is
 * owned by the FtpServer (deleted with it), but never deleted while the FtpServer lives: switching
 * storage to emptyDir or another claim leaves the files in place (no Deleter).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Names.MANAGED_SELECTOR,
            itemStore = StoreSharingManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class DataClaimDependent
    extends KubernetesDependentResource<PersistentVolumeClaim, FtpServer>
    implements Creator<PersistentVolumeClaim, FtpServer>,
        Updater<PersistentVolumeClaim, FtpServer> {

  public DataClaimDependent() {
    super(PersistentVolumeClaim.class);
  }

  /** By name: java-operator-sdk would otherwise build desired() once more just to learn it. */
  @Override
  protected ResourceID targetSecondaryResourceID(FtpServer primary, Context<FtpServer> context) {
    return new ResourceID(Names.dataClaim(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected PersistentVolumeClaim desired(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  @Override
  protected boolean addOwnerReference() {
    return true;
  }

  /** Found through its owner reference, like the garbage-collected dependents. */
  @Override
  protected Optional<SecondaryToPrimaryMapper<PersistentVolumeClaim>> getSecondaryToPrimaryMapper(
      EventSourceContext<FtpServer> context) {
    return Optional.of(Mappers.fromOwnerReferences(context.getPrimaryResourceClass(), false));
  }

  public static PersistentVolumeClaim desired(ResolvedFtpServer ftp) {
    PersistentVolumeClaim claim =
        new PersistentVolumeClaimBuilder()
            .withMetadata(Names.meta(ftp.ftp(), Names.dataClaim(ftp.ftp()), Names.COMPONENT_DATA))
            .withNewSpec()
            .withAccessModes(ftp.storage().getAccessMode().name())
            .withStorageClassName(ftp.storage().getStorageClassName())
            .withNewResources()
            .withRequests(Map.of("storage", new Quantity(ftp.storage().getSize())))
            .endResources()
            .endSpec()
            .build();
    return Names.owned(claim, ftp.ftp());
  }

  /** Reconcile precondition: the operator makes the claim only when storage asks for one. */
  public static class Wanted implements Condition<PersistentVolumeClaim, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<PersistentVolumeClaim, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      return ResolvedFtpServer.of(context).ownsDataClaim();
    }
  }
}

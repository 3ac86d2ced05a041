package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * With replicas > 1, the Secret {@code <name>-cluster} whose key {@code secret} authenticates the
 * relay between the pods (an HMAC in each relayed connection's header). Created once with 48 random
 * bytes and never written again: no Updater, so a reconcile, an operator upgrade or restart cannot
 * rotate it under running pods. It goes when the FtpServer scales back to one replica (a later
 * scale-out makes a new one for new pods) or is deleted.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Names.MANAGED_SELECTOR,
            itemStore = StoreWithoutManagedFields.class,
            onAddFilter = ProbeSecretAddFilter.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class ClusterSecretDependent extends KubernetesDependentResource<Secret, FtpServer>
    implements Creator<Secret, FtpServer>, GarbageCollected<FtpServer> {

  public static final String KEY = "secret";
  public static final int SECRET_BYTES = 48;

  private final SecureRandom random = new SecureRandom();

  public ClusterSecretDependent() {
    super(Secret.class);
  }

  /**
   * Finds the existing object by name without rendering it (when it is to be deleted, what it would
   * need may not be known).
   */
  @Override
  protected ResourceID targetSecondaryResourceID(FtpServer primary, Context<FtpServer> context) {
    return new ResourceID(Names.clusterSecret(primary), primary.getMetadata().getNamespace());
  }

  /** Only called to create it (there is no Updater). */
  @Override
  protected Secret desired(FtpServer primary, Context<FtpServer> context) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return desired(ResolvedFtpServer.of(context), secret);
  }

  /** The Secret holding {@code secret}; immutable, so nobody rewrites it by accident either. */
  public static Secret desired(ResolvedFtpServer view, byte[] secret) {
    FtpServer ftp = view.ftp();
    Secret s =
        new SecretBuilder()
            .withMetadata(Names.meta(ftp, Names.clusterSecret(ftp), Names.COMPONENT_CLUSTER))
            .withType("Opaque")
            .withImmutable(true)
            .withData(Map.of(KEY, Base64.getEncoder().encodeToString(secret)))
            .build();
    return Names.owned(s, ftp);
  }

  /** Reconcile precondition: only replicated FtpServers relay. */
  public static class Wanted implements Condition<Secret, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<Secret, FtpServer> dependent, FtpServer ftp, Context<FtpServer> context) {
      return ResolvedFtpServer.of(context).replicated();
    }
  }
}

package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.SchemaDefaults;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import dev.ftpoperator.api.v1alpha1.TrafficPolicy;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Collection;
import java.util.Optional;

/**
 * Everything one reconcile of an FtpServer works from, computed once at its start: the FtpServer
 * with the schema's defaults applied, the operator's settings and the public address resolved from
 * the informer caches. Every dependent's {@code desired(...)} and the status are functions of this
 * value alone, so a reconcile never sees two versions of the world.
 *
 * @param ftp the FtpServer as read (metadata, status)
 * @param spec its spec with every schema default applied
 * @param settings the operator's settings
 * @param address the public address, empty until it is known
 */
public record ResolvedFtpServer(
    FtpServer ftp, FtpServerSpec spec, OperatorSettings settings, Optional<PublicAddress> address) {

  /** Key of this value in the workflow's context. */
  static final String CONTEXT_KEY = ResolvedFtpServer.class.getName();

  /** Applies the defaults and resolves the address from the Service and nodes as they are now. */
  public static ResolvedFtpServer resolve(
      FtpServer ftp, OperatorSettings settings, Optional<Service> service, Collection<Node> nodes) {
    FtpServerSpec spec = SchemaDefaults.applied(ftp.getSpec());
    return new ResolvedFtpServer(
        ftp, spec, settings, PublicAddressResolver.resolve(spec, service, nodes));
  }

  /**
   * True when this view had no address but the objects as the workflow left them give one: the
   * operator's own Service create just allocated the ClusterIP or node port, an event the informer
   * does not send back to its writer. The reconcile then runs again at once with a view that has
   * it.
   */
  public boolean addressArrivedDuringReconcile(Optional<Service> service, Collection<Node> nodes) {
    return address.isEmpty() && PublicAddressResolver.resolve(spec, service, nodes).isPresent();
  }

  /** The value the reconcile's {@link FtpServerReconciler#initContext} put into the context. */
  static ResolvedFtpServer of(Context<FtpServer> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, ResolvedFtpServer.class);
  }

  public String name() {
    return ftp.getMetadata().getName();
  }

  public String namespace() {
    return ftp.getMetadata().getNamespace();
  }

  public long generation() {
    Long generation = ftp.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  public PassivePorts passivePorts() {
    return spec.getPassivePorts();
  }

  public ServiceSpec service() {
    return spec.getService();
  }

  public ServiceType serviceType() {
    return spec.getService().getType();
  }

  public TrafficPolicy trafficPolicy() {
    return spec.getService().getExternalTrafficPolicy();
  }

  public StorageSpec storage() {
    return spec.getStorage();
  }

  public boolean emptyDir() {
    return spec.getStorage().getEmptyDir();
  }

  public Optional<String> existingClaim() {
    return Optional.ofNullable(spec.getStorage().getExistingClaim());
  }

  /** True when the operator creates and owns the data claim. */
  public boolean ownsDataClaim() {
    return !emptyDir() && existingClaim().isEmpty();
  }

  public int replicas() {
    return spec.getReplicas();
  }

  /** The TLS mode, empty for plain FTP. */
  public Optional<TlsMode> tlsMode() {
    return tlsSecret().map(secret -> spec.getTls().getMode());
  }

  public Optional<String> tlsSecret() {
    return Optional.ofNullable(spec.getTls()).map(t -> t.getSecretRef().getName());
  }

  /** Whether protected data connections must resume the control connection's TLS session. */
  public boolean tlsSessionReuseRequired() {
    return spec.getTls() == null || spec.getTls().getRequireSessionReuse();
  }

  public Optional<String> usersSecret() {
    return Optional.ofNullable(spec.getUsers()).map(u -> u.getSecretRef().getName());
  }

  public boolean anonymous() {
    return spec.getAnonymous();
  }

  public boolean activeEnabled() {
    return spec.getActiveMode().getEnabled();
  }

  public boolean implicitTls() {
    return tlsMode().filter(m -> m == TlsMode.Implicit).isPresent();
  }

  public String image() {
    return spec.getImage() != null ? spec.getImage() : settings.serverImage();
  }

  public ResourceRequirements resources() {
    return spec.getResources() != null ? spec.getResources() : settings.defaultResources();
  }

  /** The Service port clients connect to: 21, or 990 for implicit FTPS. */
  public int servicePort() {
    return servicePort(spec);
  }

  static int servicePort(FtpServerSpec spec) {
    return spec.getTls() != null && spec.getTls().getMode() == TlsMode.Implicit ? 990 : 21;
  }

  public boolean selfTestEnabled() {
    return spec.getSelfTest().getEnabled();
  }

  public java.time.Duration selfTestInterval() {
    return java.time.Duration.ofSeconds(spec.getSelfTest().getIntervalSeconds());
  }

  public String servicePortName() {
    return implicitTls() ? "ftps" : "ftp";
  }
}

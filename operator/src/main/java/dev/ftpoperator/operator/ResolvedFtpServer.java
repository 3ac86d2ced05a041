package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.NetworkPolicySpec;
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
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

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
 * @param peers with replicas > 1: the relay address (its per-pod Service's ClusterIP) of each pod
 *     ordinal whose Service has one, in ordinal order; empty otherwise
 */
public record ResolvedFtpServer(
    FtpServer ftp,
    FtpServerSpec spec,
    OperatorSettings settings,
    Optional<PublicAddress> address,
    SortedMap<Integer, String> peers) {

  /** Key of this value in the workflow's context. */
  static final String CONTEXT_KEY = ResolvedFtpServer.class.getName();

  public ResolvedFtpServer {
    peers = Collections.unmodifiableSortedMap(new TreeMap<>(peers));
  }

  /** A view without relay peers (one replica, or before the per-pod Services exist). */
  public ResolvedFtpServer(
      FtpServer ftp,
      FtpServerSpec spec,
      OperatorSettings settings,
      Optional<PublicAddress> address) {
    this(ftp, spec, settings, address, new TreeMap<>());
  }

  /** Applies the defaults and resolves the address from the Service and nodes as they are now. */
  public static ResolvedFtpServer resolve(
      FtpServer ftp, OperatorSettings settings, Optional<Service> service, Collection<Node> nodes) {
    return resolve(ftp, settings, service, List.of(), nodes);
  }

  /**
   * Also reads the relay addresses from the per-pod Services as they are now (only with replicas >
   * 1: a single replica has no peers, whatever is left in the cache).
   */
  public static ResolvedFtpServer resolve(
      FtpServer ftp,
      OperatorSettings settings,
      Optional<Service> service,
      Collection<Service> peerServices,
      Collection<Node> nodes) {
    FtpServerSpec spec = SchemaDefaults.applied(ftp.getSpec());
    SortedMap<Integer, String> peers =
        spec.getReplicas() > 1
            ? PeerServicesDependent.relayAddresses(ftp, peerServices, spec.getReplicas())
            : new TreeMap<>();
    return new ResolvedFtpServer(
        ftp, spec, settings, PublicAddressResolver.resolve(spec, service, nodes), peers);
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

  /**
   * The same for the relay addresses: this view lacked some, and the per-pod Services the workflow
   * just created have them now.
   */
  public boolean peersArrivedDuringReconcile(Collection<Service> peerServices) {
    return replicated()
        && !peersKnown()
        && PeerServicesDependent.relayAddresses(ftp, peerServices, replicas()).size() == replicas();
  }

  /** True with replicas > 1: a StatefulSet, per-pod Services, the relay Secret, a PDB. */
  public boolean replicated() {
    return replicas() > 1;
  }

  /** True when every pod ordinal has its relay address (the StatefulSet waits for this). */
  public boolean peersKnown() {
    return peers.size() == replicas();
  }

  /** Each pod's slice of the passive range, ordinal 0 first. */
  public List<PassiveSlice> slices() {
    return PassiveSlice.of(passivePorts(), replicas());
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
  /** The NetworkPolicy settings when the FtpServer asks for one. */
  public Optional<NetworkPolicySpec> networkPolicy() {
    return Optional.ofNullable(spec.getNetworkPolicy())
        .filter(policy -> Boolean.TRUE.equals(policy.getEnabled()));
  }

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

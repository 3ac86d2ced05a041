package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.TrafficPolicy;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FTP server pod of a one-replica FtpServer (several replicas run as a StatefulSet, {@link
 * ServerStatefulSetDependent}; the Deployment goes when an FtpServer scales out). Created only once
 * the public address is known (it depends on the Service's AddressKnown postcondition), so the
 * first pod already advertises it; the address is in the pod template (env and annotation), so an
 * address change rolls the pod.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Names.MANAGED_SELECTOR,
            itemStore = StoreSharingManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class ServerDeploymentDependent
    extends CRUDKubernetesDependentResource<Deployment, FtpServer> {

  public static final String CONTAINER = "ftp-server";
  public static final int RUN_AS = 1000;
  static final String SCRATCH_VOLUME = "tmp";
  static final String PROBE_VOLUME = "probe";
  static final String SCRATCH_DIR = "/tmp";
  static final String SCRATCH_LIMIT = "64Mi";

  public ServerDeploymentDependent() {
    super(Deployment.class);
  }

  /** By name: java-operator-sdk would otherwise build desired() once more just to learn it. */
  @Override
  protected ResourceID targetSecondaryResourceID(FtpServer primary, Context<FtpServer> context) {
    return new ResourceID(Names.deployment(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected Deployment desired(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  /** Only called once the address is known: the workflow runs this after AddressKnown held. */
  public static Deployment desired(ResolvedFtpServer view) {
    PublicAddress address =
        view.address()
            .orElseThrow(
                () -> new IllegalStateException("public address of " + view.name() + " not known"));
    FtpServer ftp = view.ftp();
    Deployment deployment =
        new DeploymentBuilder()
            .withMetadata(Names.meta(ftp, Names.deployment(ftp), Names.COMPONENT_SERVER))
            .withNewSpec()
            .withReplicas(view.replicas())
            .withNewSelector()
            .withMatchLabels(Names.selector(ftp))
            .endSelector()
            // one RWO volume: the old pod must let go of it before the new one starts
            .withNewStrategy()
            .withType("Recreate")
            .endStrategy()
            .withTemplate(podTemplate(view, address))
            .endSpec()
            .build();
    return Names.owned(deployment, ftp);
  }

  /**
   * The server pod as both workloads run it (the StatefulSet adds what several replicas need):
   * labels, the address and settings-hash annotations, security, the container, the volumes.
   */
  static PodTemplateSpec podTemplate(ResolvedFtpServer view, PublicAddress address) {
    FtpServer ftp = view.ftp();
    Map<String, String> podLabels = Names.labels(ftp, Names.COMPONENT_SERVER);
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    if (view.spec().getPodAnnotations() != null) {
      podAnnotations.putAll(view.spec().getPodAnnotations());
    }
    podAnnotations.put(Names.PUBLIC_ADDRESS_ANNOTATION, address.address());
    podAnnotations.put(
        Names.SETTINGS_HASH_ANNOTATION,
        SettingsConfigMapDependent.hash(SettingsConfigMapDependent.settings(view)));
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withEnableServiceLinks(false)
        // the server never talks to the Kubernetes API
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(60L)
        .withNewSecurityContext()
        .withRunAsUser((long) RUN_AS)
        .withRunAsGroup((long) RUN_AS)
        .withFsGroup((long) RUN_AS)
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(view, address))
        .withVolumes(volumes(view))
        .withNodeSelector(emptyToNull(view.spec().getNodeSelector()))
        .withTolerations(view.spec().getTolerations())
        .withAffinity(affinity(view, address))
        .endSpec()
        .build();
  }

  static Container container(ResolvedFtpServer ftp, PublicAddress address) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(ftp.image())
        .withImagePullPolicy("IfNotPresent")
        .addNewEnvFrom()
        .withNewConfigMapRef()
        .withName(Names.settings(ftp.ftp()))
        .withOptional(false)
        .endConfigMapRef()
        .endEnvFrom()
        .withEnv(env(address))
        .withPorts(containerPorts(ftp))
        .withVolumeMounts(volumeMounts(ftp))
        .withResources(ftp.resources())
        // liveness: 6 misses 10 s apart before a restart, so a slow start or a long GC is not fatal
        .withLivenessProbe(probe("/health/live", 10, 6))
        // readiness every second: a new pod takes sessions within a second of listening (a 10 s
        // period made a pod whose first probe came before the JVM listened wait 10 s more), and a
        // draining pod leaves the Service's endpoints as fast
        .withReadinessProbe(probe("/health/ready", 1, 3))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  static List<EnvVar> env(PublicAddress address) {
    return List.of(
        new EnvVar("FTP_PUBLIC_ADDRESS", address.address(), null),
        new EnvVar(
            "FTP_REQUIRE_PUBLIC_ADDRESS", Boolean.toString(address.requirePublicAddress()), null));
  }

  static List<ContainerPort> containerPorts(ResolvedFtpServer ftp) {
    PassivePorts passive = ftp.passivePorts();
    List<ContainerPort> ports = new ArrayList<>(passive.count() + 2);
    ports.add(port("ftp", PassivePorts.CONTROL_PORT));
    ports.add(port("http", PassivePorts.HTTP_PORT));
    for (int p = passive.getMin(); p <= passive.getMax(); p++) {
      ports.add(port(null, p));
    }
    return ports;
  }

  private static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(number)
        .withProtocol("TCP")
        .build();
  }

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new io.fabric8.kubernetes.api.model.IntOrString("http"))
        .withScheme("HTTP")
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .withSuccessThreshold(1)
        .build();
  }

  static List<VolumeMount> volumeMounts(ResolvedFtpServer ftp) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("users", SettingsConfigMapDependent.USERS_DIR, true));
    mounts.add(mount(PROBE_VOLUME, SettingsConfigMapDependent.PROBE_DIR, true));
    if (ftp.tlsMode().isPresent()) {
      mounts.add(mount("tls", SettingsConfigMapDependent.TLS_DIR, true));
    }
    mounts.add(mount("data", SettingsConfigMapDependent.DATA_DIR, false));
    // the root filesystem is read-only: the JVM's scratch (java.io.tmpdir, hsperfdata) lives here
    mounts.add(mount(SCRATCH_VOLUME, SCRATCH_DIR, false));
    return mounts;
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    // readOnly false is the API server's default and it drops it: only say true, so nothing drifts
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }

  static List<Volume> volumes(ResolvedFtpServer ftp) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        ftp.usersSecret()
            .map(
                secret ->
                    new VolumeBuilder()
                        .withName("users")
                        .withNewSecret()
                        .withSecretName(secret)
                        .withDefaultMode(0440)
                        .withOptional(false)
                        .endSecret()
                        .build())
            // anonymous-only: an empty users directory
            .orElseGet(
                () ->
                    new VolumeBuilder()
                        .withName("users")
                        .withNewEmptyDir()
                        .withSizeLimit(new Quantity("1Mi"))
                        .endEmptyDir()
                        .build()));
    // the self-test identity, apart from the user's users Secret (created before the pod needs it)
    volumes.add(
        new VolumeBuilder()
            .withName(PROBE_VOLUME)
            .withNewSecret()
            .withSecretName(Names.probeSecret(ftp.ftp()))
            .withDefaultMode(0440)
            .withOptional(false)
            .endSecret()
            .build());
    ftp.tlsSecret()
        .ifPresent(
            secret ->
                volumes.add(
                    new VolumeBuilder()
                        .withName("tls")
                        .withNewSecret()
                        .withSecretName(secret)
                        .withDefaultMode(0440)
                        .withOptional(false)
                        .endSecret()
                        .build()));
    if (ftp.emptyDir()) {
      volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    } else {
      String claim = ftp.existingClaim().orElse(Names.dataClaim(ftp.ftp()));
      volumes.add(
          new VolumeBuilder()
              .withName("data")
              .withNewPersistentVolumeClaim()
              .withClaimName(claim)
              .endPersistentVolumeClaim()
              .build());
    }
    volumes.add(
        new VolumeBuilder()
            .withName(SCRATCH_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity(SCRATCH_LIMIT))
            .endEmptyDir()
            .build());
    return volumes;
  }

  /**
   * The user's affinity; in NodePort mode with externalTrafficPolicy Local, also pinned to the node
   * whose address is advertised (only that node forwards the node ports to a local pod).
   */
  static Affinity affinity(ResolvedFtpServer ftp, PublicAddress address) {
    Affinity user = ftp.spec().getAffinity();
    boolean pin =
        ftp.serviceType() == ServiceType.NodePort
            && ftp.trafficPolicy() == TrafficPolicy.Local
            && address.node() != null;
    if (!pin) {
      return user;
    }
    NodeSelectorRequirement onNode =
        new NodeSelectorRequirementBuilder()
            .withKey("metadata.name")
            .withOperator("In")
            .withValues(address.node())
            .build();
    AffinityBuilder builder = user != null ? new AffinityBuilder(user) : new AffinityBuilder();
    List<NodeSelectorTerm> terms = new ArrayList<>();
    if (user != null
        && user.getNodeAffinity() != null
        && user.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      for (NodeSelectorTerm term :
          user.getNodeAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution()
              .getNodeSelectorTerms()) {
        terms.add(new NodeSelectorTermBuilder(term).addToMatchFields(onNode).build());
      }
    }
    if (terms.isEmpty()) {
      terms.add(new NodeSelectorTermBuilder().addToMatchFields(onNode).build());
    }
    return builder
        .editOrNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  /** Reconcile precondition: the Deployment runs one replica; several are a StatefulSet. */
  public static class SingleReplica implements Condition<Deployment, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<Deployment, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      return !ResolvedFtpServer.of(context).replicated();
    }
  }

  private static <K, V> Map<K, V> emptyToNull(Map<K, V> map) {
    return map == null || map.isEmpty() ? null : map;
  }
}

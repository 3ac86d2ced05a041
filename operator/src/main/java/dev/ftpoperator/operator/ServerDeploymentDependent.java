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
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FTP server pod (one replica for now). Created only once the public address is known (it
 * depends on the Service's AddressKnown postcondition), so the first pod already advertises it; the
 * address is in the pod template (env and annotation), so an address change rolls the pod.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class ServerDeploymentDependent
    extends CRUDKubernetesDependentResource<Deployment, FtpServer> {

  public static final String CONTAINER = "ftp-server";
  public static final int RUN_AS = 1000;

  public ServerDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(FtpServer ftp, Context<FtpServer> context) {
    // The workflow reconciles this only after the Service's AddressKnown postcondition held; should
    // the Service vanish in between (deleted, cache catching up), keep the address the pods have.
    PublicAddress address =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(ClusterView.ADDRESS_KEY, PublicAddress.class)
            .or(() -> ClusterView.address(ftp, context))
            .or(
                () ->
                    getSecondaryResource(ftp, context)
                        .flatMap(ServerDeploymentDependent::currentAddress))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "public address of " + ftp.getMetadata().getName() + " not known yet"));
    return build(ftp, address, OperatorSettings.current());
  }

  /** The address an existing Deployment advertises, read back from its pod template. */
  static java.util.Optional<PublicAddress> currentAddress(Deployment deployment) {
    List<EnvVar> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    if (env == null) {
      return java.util.Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    env.forEach(e -> values.put(e.getName(), e.getValue()));
    String address = values.get("FTP_PUBLIC_ADDRESS");
    if (address == null) {
      return java.util.Optional.empty();
    }
    boolean require =
        Boolean.parseBoolean(values.getOrDefault("FTP_REQUIRE_PUBLIC_ADDRESS", "true"));
    String node = null;
    Affinity affinity = deployment.getSpec().getTemplate().getSpec().getAffinity();
    if (affinity != null
        && affinity.getNodeAffinity() != null
        && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      node =
          affinity
              .getNodeAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution()
              .getNodeSelectorTerms()
              .stream()
              .flatMap(
                  t ->
                      t.getMatchFields() == null
                          ? java.util.stream.Stream.empty()
                          : t.getMatchFields().stream())
              .filter(
                  f ->
                      "metadata.name".equals(f.getKey())
                          && f.getValues() != null
                          && !f.getValues().isEmpty())
              .map(f -> f.getValues().get(0))
              .findFirst()
              .orElse(null);
    }
    return java.util.Optional.of(
        new PublicAddress(address, PublicAddressResolver.Source.PASSIVE_ADDRESS, 0, node, require));
  }

  public static Deployment build(FtpServer ftp, PublicAddress address, OperatorSettings settings) {
    Map<String, String> podLabels = Names.labels(ftp, Names.COMPONENT_SERVER);
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    if (ftp.getSpec().getPodAnnotations() != null) {
      podAnnotations.putAll(ftp.getSpec().getPodAnnotations());
    }
    podAnnotations.put(Names.PUBLIC_ADDRESS_ANNOTATION, address.address());
    podAnnotations.put(
        Names.SETTINGS_HASH_ANNOTATION,
        SettingsConfigMapDependent.hash(SettingsConfigMapDependent.settings(ftp)));

    Deployment deployment =
        new DeploymentBuilder()
            .withMetadata(Names.meta(ftp, Names.deployment(ftp), Names.COMPONENT_SERVER))
            .withNewSpec()
            .withReplicas(ftp.getSpec().getReplicas() == null ? 1 : ftp.getSpec().getReplicas())
            .withNewSelector()
            .withMatchLabels(Names.selector(ftp))
            .endSelector()
            // one RWO volume: the old pod must let go of it before the new one starts
            .withNewStrategy()
            .withType("Recreate")
            .endStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(podLabels)
            .withAnnotations(podAnnotations)
            .endMetadata()
            .withNewSpec()
            .withEnableServiceLinks(false)
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
            .withContainers(container(ftp, address, settings))
            .withVolumes(volumes(ftp))
            .withNodeSelector(emptyToNull(ftp.getSpec().getNodeSelector()))
            .withTolerations(ftp.getSpec().getTolerations())
            .withAffinity(affinity(ftp, address))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    return Names.owned(deployment, ftp);
  }

  static Container container(FtpServer ftp, PublicAddress address, OperatorSettings settings) {
    String image =
        ftp.getSpec().getImage() != null ? ftp.getSpec().getImage() : settings.serverImage();
    ResourceRequirements resources =
        ftp.getSpec().getResources() != null
            ? ftp.getSpec().getResources()
            : settings.defaultResources();
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .addNewEnvFrom()
        .withNewConfigMapRef()
        .withName(Names.settings(ftp))
        .withOptional(false)
        .endConfigMapRef()
        .endEnvFrom()
        .withEnv(env(address))
        .withPorts(containerPorts(ftp))
        .withVolumeMounts(volumeMounts(ftp))
        .withResources(resources)
        .withLivenessProbe(probe("/health/live", 6))
        .withReadinessProbe(probe("/health/ready", 3))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
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

  static List<ContainerPort> containerPorts(FtpServer ftp) {
    PassivePorts passive = Spec.passivePorts(ftp);
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

  private static Probe probe(String path, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new io.fabric8.kubernetes.api.model.IntOrString("http"))
        .withScheme("HTTP")
        .endHttpGet()
        .withPeriodSeconds(10)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .withSuccessThreshold(1)
        .build();
  }

  static List<VolumeMount> volumeMounts(FtpServer ftp) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("users", SettingsConfigMapDependent.USERS_DIR, true));
    if (Spec.tlsMode(ftp).isPresent()) {
      mounts.add(mount("tls", SettingsConfigMapDependent.TLS_DIR, true));
    }
    mounts.add(mount("data", SettingsConfigMapDependent.DATA_DIR, false));
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

  static List<Volume> volumes(FtpServer ftp) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        Spec.usersSecret(ftp)
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
    Spec.tlsSecret(ftp)
        .filter(s -> Spec.tlsMode(ftp).isPresent())
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
    if (Spec.emptyDir(ftp)) {
      volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    } else {
      String claim = Spec.existingClaim(ftp).orElse(Names.dataClaim(ftp));
      volumes.add(
          new VolumeBuilder()
              .withName("data")
              .withNewPersistentVolumeClaim()
              .withClaimName(claim)
              .endPersistentVolumeClaim()
              .build());
    }
    return volumes;
  }

  /**
   * The user's affinity; in NodePort mode with externalTrafficPolicy Local, also pinned to the node
   * whose address is advertised (only that node forwards the node ports to a local pod).
   */
  static Affinity affinity(FtpServer ftp, PublicAddress address) {
    Affinity user = ftp.getSpec().getAffinity();
    boolean pin =
        Spec.serviceType(ftp) == ServiceType.NodePort
            && Spec.trafficPolicy(ftp) == TrafficPolicy.Local
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

  private static <K, V> Map<K, V> emptyToNull(Map<K, V> map) {
    return map == null || map.isEmpty() ? null : map;
  }
}

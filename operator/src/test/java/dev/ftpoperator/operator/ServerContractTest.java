package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.ActiveMode;
import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.SecretRef;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import dev.ftpoperator.api.v1alpha1.TlsSpec;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import dev.ftpoperator.operator.PublicAddressResolver.Source;
import dev.ftpoperator.server.cluster.SliceMap;
import dev.ftpoperator.server.config.ClusterSettings;
import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.config.ServerSettings;
import dev.ftpoperator.server.config.Variable;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's side of the FTP_* contract against the server's side: for each kind of spec, what
 * the operator renders (ConfigMap + container env + mounts) is fed to the server's own settings
 * parser. Every variable must be one the server knows, every value must parse, and the parsed
 * settings must mean what the spec says. A variable renamed on one side only fails here.
 */
class ServerContractTest {

  static final PublicAddress LB =
      new PublicAddress("203.0.113.7", Source.LOAD_BALANCER_IP, 21, null, true);
  static final PublicAddress NODE =
      new PublicAddress("10.0.0.2", Source.NODE_INTERNAL_IP, 31021, "node-b", true);
  static final PublicAddress CLUSTER_IP =
      new PublicAddress("10.96.0.42", Source.CLUSTER_IP, 21, null, false);

  record Variant(String name, Consumer<FtpServer> edit, PublicAddress address) {
    @Override
    public String toString() {
      return name;
    }
  }

  static TlsSpec tls(TlsMode mode, boolean reuse) {
    TlsSpec tls = new TlsSpec();
    tls.setSecretRef(new SecretRef("partners-tls"));
    tls.setMode(mode);
    tls.setRequireSessionReuse(reuse);
    return tls;
  }

  static Stream<Variant> variants() {
    return Stream.of(
        new Variant("plain", ftp -> {}, LB),
        new Variant("explicit TLS", ftp -> ftp.getSpec().setTls(tls(TlsMode.Explicit, true)), LB),
        new Variant("required TLS", ftp -> ftp.getSpec().setTls(tls(TlsMode.Required, true)), LB),
        new Variant("implicit TLS", ftp -> ftp.getSpec().setTls(tls(TlsMode.Implicit, true)), LB),
        new Variant(
            "TLS without session reuse",
            ftp -> ftp.getSpec().setTls(tls(TlsMode.Explicit, false)),
            LB),
        new Variant("NodePort", ftp -> FtpServers.withType(ftp, ServiceType.NodePort), NODE),
        new Variant(
            "ClusterIP", ftp -> FtpServers.withType(ftp, ServiceType.ClusterIP), CLUSTER_IP),
        new Variant(
            "anonymous only",
            ftp -> {
              ftp.getSpec().setUsers(null);
              ftp.getSpec().setAnonymous(true);
            },
            LB),
        new Variant("anonymous and users", ftp -> ftp.getSpec().setAnonymous(true), LB),
        new Variant(
            "active mode off", ftp -> ftp.getSpec().setActiveMode(new ActiveMode(false)), LB),
        new Variant(
            "passive address",
            ftp -> ftp.getSpec().setPassiveAddress("ftp.example.org"),
            new PublicAddress("ftp.example.org", Source.PASSIVE_ADDRESS, 21, null, true)),
        new Variant(
            "emptyDir",
            ftp -> {
              ftp.getSpec().setStorage(new StorageSpec());
              ftp.getSpec().getStorage().setEmptyDir(true);
            },
            LB),
        new Variant(
            "existing claim and other ports",
            ftp -> {
              ftp.getSpec().setStorage(new StorageSpec());
              ftp.getSpec().getStorage().setExistingClaim("old-data");
              ftp.getSpec().getPassivePorts().setMin(40000);
              ftp.getSpec().getPassivePorts().setMax(40099);
            },
            LB));
  }

  /** What the server process sees: the ConfigMap through envFrom, then the container's env. */
  static Map<String, String> environment(ResolvedFtpServer view, Deployment deployment) {
    Map<String, String> env = new TreeMap<>(SettingsConfigMapDependent.desired(view).getData());
    for (EnvVar e : container(deployment).getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    return env;
  }

  static Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static ResolvedFtpServer view(Variant variant) {
    FtpServer ftp = FtpServers.partners();
    variant.edit().accept(ftp);
    return FtpServers.view(ftp, variant.address());
  }

  static Stream<Arguments> cases() {
    return variants().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyVariantIsAcceptedByTheServerAndMeansWhatTheSpecSays(Variant variant) {
    ResolvedFtpServer view = view(variant);
    Deployment deployment = ServerDeploymentDependent.desired(view);
    Map<String, String> env = environment(view, deployment);

    assertThat(Variable.unknownIn(env)).as("variables the server does not know").isEmpty();
    ServerSettings server = ServerSettings.from(env);

    assertThat(server.controlPort())
        .isEqualTo(container(deployment).getPorts().get(0).getContainerPort());
    assertThat(server.passivePorts().min()).isEqualTo(view.passivePorts().getMin());
    assertThat(server.passivePorts().max()).isEqualTo(view.passivePorts().getMax());
    assertThat(server.publicAddress()).contains(variant.address().address());
    assertThat(server.requirePublicAddress())
        .isEqualTo(view.serviceType() != ServiceType.ClusterIP);
    assertThat(server.activeEnabled()).isEqualTo(view.activeEnabled());
    assertThat(server.anonymousEnabled()).isEqualTo(view.anonymous());
    assertThat(server.tlsMode().name())
        .isEqualTo(view.tlsMode().map(m -> m.name().toUpperCase(Locale.ROOT)).orElse("NONE"));
    assertThat(server.tlsSessionReuseRequired()).isEqualTo(view.tlsSessionReuseRequired());
    assertThat(server.httpPort())
        .isEqualTo(
            container(deployment).getPorts().stream()
                .filter(p -> "http".equals(p.getName()))
                .findFirst()
                .orElseThrow()
                .getContainerPort());

    // the files the settings name are where the pod mounts them
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(mountOf(pod, server.usersDir())).isEqualTo("users");
    assertThat(mountOf(pod, server.dataDir())).isEqualTo("data");
    if (view.tlsMode().isPresent()) {
      Volume tls = volume(pod, mountOf(pod, server.tlsCertFile().getParent()));
      assertThat(tls.getSecret().getSecretName()).isEqualTo("partners-tls");
      // a kubernetes.io/tls Secret's keys, as files of the secret volume
      assertThat(
              Set.of(
                  server.tlsCertFile().getFileName().toString(),
                  server.tlsKeyFile().getFileName().toString()))
          .containsExactlyInAnyOrder("tls.crt", "tls.key");
      assertThat(server.tlsKeyFile().getParent()).isEqualTo(server.tlsCertFile().getParent());
    }
  }

  static String mountOf(PodSpec pod, Path path) {
    return container(pod).getVolumeMounts().stream()
        .filter(m -> Path.of(m.getMountPath()).equals(path))
        .map(VolumeMount::getName)
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing is mounted at " + path));
  }

  static Container container(PodSpec pod) {
    return pod.getContainers().get(0);
  }

  static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** The relay contract's settings (RELAY-CONTRACT.md), on top of the single-replica ones. */
  static final Set<String> CLUSTER_VARIABLES =
      Set.of(
          "FTP_POD_NAME",
          "FTP_CLUSTER_REPLICAS",
          "FTP_CLUSTER_PEERS",
          "FTP_CLUSTER_RELAY_PORT",
          "FTP_CLUSTER_SECRET_FILE");

  static ResolvedFtpServer replicatedView() {
    return FtpServers.replicatedView(FtpServers.replicated(FtpServers.partners(), 3), LB);
  }

  /** What a replicated server process sees: the ConfigMap, then the StatefulSet's env. */
  static Map<String, String> replicatedEnvironment(ResolvedFtpServer view) {
    Map<String, String> env = new TreeMap<>(SettingsConfigMapDependent.desired(view).getData());
    for (EnvVar e :
        ServerStatefulSetDependent.desired(view)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()) {
      // the downward API fills FTP_POD_NAME in the pod: pod 1's name here
      env.put(e.getName(), e.getValue() != null ? e.getValue() : "partners-1");
    }
    return env;
  }

  @Test
  void aReplicatedServerGetsTheRelayContractsVariablesOnTopOfTheSingleReplicaOnes() {
    ResolvedFtpServer view = replicatedView();
    Map<String, String> env = replicatedEnvironment(view);
    ResolvedFtpServer single = view(variants().findFirst().orElseThrow());
    Set<String> added = new TreeSet<>(env.keySet());
    added.removeAll(environment(single, ServerDeploymentDependent.desired(single)).keySet());
    Set<String> expected = new TreeSet<>(CLUSTER_VARIABLES);
    expected.add("FTP_SHUTDOWN_GRACE_SECONDS");
    assertThat(added).isEqualTo(expected);
    assertThat(Variable.unknownIn(env)).as("variables the server does not know").isEmpty();

    ServerSettings server = ServerSettings.from(env);
    assertThat(server.shutdownGrace()).hasSeconds(110);
    assertThat(server.passivePorts().min()).isEqualTo(30000);
    ClusterSettings cluster = server.cluster().orElseThrow();
    assertThat(cluster.replicas()).isEqualTo(3);
    assertThat(cluster.ordinal()).isEqualTo(1);
    assertThat(cluster.relayPort()).isEqualTo(Names.RELAY_PORT);
    assertThat(cluster.peers()).hasSize(3);
    view.peers()
        .forEach((k, ip) -> assertThat(cluster.peers().get(k).getHostAddress()).isEqualTo(ip));
    assertThat(cluster.secretFile()).isEqualTo(Path.of(env.get("FTP_CLUSTER_SECRET_FILE")));

    PodSpec pod = ServerStatefulSetDependent.desired(view).getSpec().getTemplate().getSpec();
    Path secretFile = Path.of(env.get("FTP_CLUSTER_SECRET_FILE"));
    Volume secretVolume = volume(pod, mountOf(pod, secretFile.getParent()));
    assertThat(secretVolume.getSecret().getSecretName()).isEqualTo("partners-cluster");
    assertThat(secretFile.getFileName().toString()).isEqualTo(ClusterSecretDependent.KEY);
  }

  /** The slice each pod's status shows is the slice that pod's server offers, for any range. */
  @ParameterizedTest(name = "{0} ports over {1} replicas")
  @org.junit.jupiter.params.provider.CsvSource({
    "2,1", "4,2", "6,3", "7,3", "10,3", "20,3", "16,8", "17,8", "100,8", "999,7", "1000,8"
  })
  void theOperatorsSlicesAreTheServersSlices(int ports, int replicas) {
    dev.ftpoperator.api.v1alpha1.PassivePorts range =
        new dev.ftpoperator.api.v1alpha1.PassivePorts(40000, 40000 + ports - 1);
    SliceMap server = new SliceMap(new PassivePortRange(range.getMin(), range.getMax()), replicas);
    for (PassiveSlice slice : PassiveSlice.of(range, replicas)) {
      PassivePortRange theirs = server.slice(slice.ordinal());
      assertThat(slice.min() + "-" + slice.max()).isEqualTo(theirs.min() + "-" + theirs.max());
      for (int port = slice.min(); port <= slice.max(); port++) {
        assertThat(server.owner(port)).isEqualTo(slice.ordinal());
      }
    }
  }

  @Test
  void theProbeLogsInWithTheNameTheServerGivesItsProbeAccount() {
    assertThat(ProbeSecret.USER).isEqualTo(dev.ftpoperator.server.users.ProbeAccount.NAME);
  }

  @Test
  void theOperatorReadmeListsExactlyTheVariablesTheOperatorWrites() throws IOException {
    Set<String> written = new TreeSet<>(replicatedEnvironment(replicatedView()).keySet());
    variants()
        .forEach(
            variant -> {
              ResolvedFtpServer view = view(variant);
              written.addAll(environment(view, ServerDeploymentDependent.desired(view)).keySet());
            });
    Set<String> documented =
        Files.readAllLines(Path.of("README.md")).stream()
            .filter(line -> line.startsWith("FTP_"))
            .map(line -> line.substring(0, line.indexOf('=')))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(written);
  }
}

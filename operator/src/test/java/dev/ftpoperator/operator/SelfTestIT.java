package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.api.v1alpha1.AccessMode;
import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.PodSelfTestStatus;
import dev.ftpoperator.api.v1alpha1.SecretRef;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import dev.ftpoperator.api.v1alpha1.TlsSpec;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import dev.ftpoperator.operator.selftest.LoopbackFtpServer;
import dev.ftpoperator.operator.selftest.TcpForwarder;
import dev.ftpoperator.operator.selftest.TestCertificates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-test's life cycle against a real kube-apiserver, with the project's own FTP server on
 * loopback as the public endpoint: the FtpServer advertises 127.0.0.1 (spec.passiveAddress) on the
 * control node port the API server allocated, and the test starts the server there with the probe
 * password from the Secret the operator made. Each failure reason comes from the real fault. The
 * objects at each step are saved under target/selftest-fixtures for the GitOps health checks.
 */
class SelfTestIT {

  static final Path FIXTURES = Path.of("target", "selftest-fixtures");

  static KubernetesClient client;
  String namespace;

  @BeforeAll
  static void operator() {
    client = TestCluster.client();
    TestCluster.startOperator();
  }

  @RegisterExtension
  final TestWatcher dumpOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          System.out.println(NamespaceDump.of(client, namespace));
        }
      };

  /** Up to two probe intervals (10 s each) and the probe's own timeouts. */
  static ConditionFactory nextProbe() {
    return await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(300));
  }

  FtpServer ftp(String name) {
    return client.resources(FtpServer.class).inNamespace(namespace).withName(name).get();
  }

  Condition condition(String name, String type) {
    FtpServer ftp = ftp(name);
    return ftp == null ? null : StatusComputer.condition(ftp.getStatus(), type).orElse(null);
  }

  String reasonOf(String name, String type) {
    Condition c = condition(name, type);
    return c == null ? null : c.getReason();
  }

  void awaitVerified(String name, String reason) {
    nextProbe()
        .untilAsserted(
            () -> assertThat(reasonOf(name, StatusComputer.TRANSFER_VERIFIED)).isEqualTo(reason));
  }

  void save(String name, String fixture) throws Exception {
    Files.createDirectories(FIXTURES);
    FtpServer ftp = ftp(name);
    ftp.getMetadata().setManagedFields(null);
    Files.writeString(FIXTURES.resolve(fixture + ".yaml"), Serialization.asYaml(ftp));
  }

  void usersSecret(String ftpServer) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(ftpServer + "-users")
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("alice", "wonderland"))
                .build())
        .create();
  }

  FtpServer nodePortServer(String name, int passiveMin, int passiveMax) {
    FtpServer ftp = new FtpServer();
    ftp.getMetadata().setName(name);
    ftp.getMetadata().setNamespace(namespace);
    FtpServerSpec spec = new FtpServerSpec();
    spec.setUsers(new UsersSpec(name + "-users"));
    spec.setPassivePorts(new PassivePorts(passiveMin, passiveMax));
    spec.setPassiveAddress(LoopbackFtpServer.HOST);
    ServiceSpec service = new ServiceSpec();
    service.setType(ServiceType.NodePort);
    spec.setService(service);
    spec.setSelfTest(new SelfTestSpec(true, 10));
    ftp.setSpec(spec);
    return ftp;
  }

  void markDeploymentAvailable(String name) {
    TestCluster.markDeploymentAvailable(client, namespace, name);
  }

  int controlNodePort(String name) {
    Service service = client.services().inNamespace(namespace).withName(name).get();
    return service.getSpec().getPorts().stream()
        .filter(p -> p.getPort() == 21)
        .findFirst()
        .orElseThrow()
        .getNodePort();
  }

  @Test
  void theConditionFollowsRealFaultsAndReadyWaitsForTheFirstVerifiedTransfer(@TempDir Path certs)
      throws Exception {
    namespace = TestCluster.newNamespace("selftest");
    String name = "probed";
    // passive node ports from the band Kubernetes keeps for fixed node ports, free on loopback
    int min = 30070;
    int max = 30072;
    assertThat(LoopbackFtpServer.allFree(min, max - min + 1))
        .as("ports %d-%d free", min, max)
        .isTrue();
    usersSecret(name);
    client.resource(nodePortServer(name, min, max)).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> client.apps().deployments().inNamespace(namespace).withName(name).get() != null);
    int port = controlNodePort(name);
    Secret probe =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client
                        .secrets()
                        .inNamespace(namespace)
                        .withName(Names.probeSecret(ftp(name)))
                        .get(),
                java.util.Objects::nonNull);
    assertThat(probe.getMetadata().getOwnerReferences()).singleElement();
    String password = ProbeSecret.password(probe).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(ftp(name).getStatus().getEndpoint())
                    .isEqualTo("ftp://127.0.0.1:" + port));
    markDeploymentAvailable(name);

    // nothing listens at the endpoint yet
    awaitVerified(name, "ConnectFailed");
    assertThat(condition(name, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(name, "Ready").getMessage())
        .startsWith("Waiting for the first verified transfer")
        .contains("127.0.0.1:" + port);
    save(name, "never-verified");

    Map<String, String> onNodePort = Map.of("FTP_CONTROL_PORT", Integer.toString(port));
    // the server advertises another address than the public one
    try (LoopbackFtpServer wrong =
        LoopbackFtpServer.start(
            password, with(onNodePort, "FTP_PUBLIC_ADDRESS", "127.0.0.2"), min, max)) {
      awaitVerified(name, "PassiveAddressWrong");
      assertThat(condition(name, StatusComputer.TRANSFER_VERIFIED).getMessage())
          .startsWith("PASV named 127.0.0.2");
    }

    Instant beforeSuccess = Instant.now().minusSeconds(1);
    try (LoopbackFtpServer healthy = LoopbackFtpServer.start(password, onNodePort, min, max)) {
      awaitVerified(name, "TransferVerified");
      nextProbe()
          .untilAsserted(() -> assertThat(condition(name, "Ready").getStatus()).isEqualTo("True"));
      FtpServer verified = ftp(name);
      assertThat(Instant.parse(verified.getStatus().getSelfTest().getLastSuccessTime()))
          .isAfterOrEqualTo(beforeSuccess.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      assertThat(verified.getStatus().getSelfTest().getRoundTripMillis()).isNotNull();
      save(name, "verified");

      // the server's probe password no longer matches the Secret
      healthy.probePassword("replaced-elsewhere");
      awaitVerified(name, "LoginFailed");
      assertThat(condition(name, "Ready").getStatus())
          .as("one failure after a success leaves Ready")
          .isEqualTo("True");
      save(name, "verified-then-one-failure");
    }

    // a "load balancer" that forwards only the control port: the data ports refuse
    try (LoopbackFtpServer behind =
            LoopbackFtpServer.start(
                password,
                Map.of("FTP_BIND_ADDRESS", "127.0.0.2", "FTP_PUBLIC_ADDRESS", "127.0.0.1"),
                min,
                max);
        TcpForwarder lb =
            new TcpForwarder(
                LoopbackFtpServer.HOST, port, new InetSocketAddress("127.0.0.2", behind.port()))) {
      awaitVerified(name, "DataPortUnreachable");
      nextProbe()
          .untilAsserted(
              () -> assertThat(reasonOf(name, "Ready")).isEqualTo("DataPortUnreachable"));
      assertThat(condition(name, "Ready").getMessage()).startsWith("data port ");
      save(name, "failing");
    }

    // TLS required, with a certificate that expired yesterday
    Instant now = Instant.now();
    Map<String, String> tlsEnv =
        new HashMap<>(
            TestCertificates.write(
                certs, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "127.0.0.1"));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name + "-tls")
                .withNamespace(namespace)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(
                    Map.of(
                        "tls.crt", Files.readString(certs.resolve("tls.crt")),
                        "tls.key", Files.readString(certs.resolve("tls.key"))))
                .build())
        .create();
    client
        .resources(FtpServer.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            f -> {
              TlsSpec tls = new TlsSpec();
              tls.setSecretRef(new SecretRef(name + "-tls"));
              tls.setMode(TlsMode.Required);
              f.getSpec().setTls(tls);
              return f;
            });
    tlsEnv.putAll(onNodePort);
    tlsEnv.put("FTP_TLS_MODE", "required");
    // (the Deployment's status, written once above, still says a pod is available)
    try (LoopbackFtpServer expired = LoopbackFtpServer.start(password, tlsEnv, min, max)) {
      awaitVerified(name, "TlsFailed");
      assertThat(condition(name, StatusComputer.TRANSFER_VERIFIED).getMessage())
          .contains("expired on");
    }

    // switched off: Ready as without the self-test
    client
        .resources(FtpServer.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            f -> {
              f.getSpec().setSelfTest(new SelfTestSpec(false, 10));
              return f;
            });
    nextProbe()
        .untilAsserted(
            () -> {
              assertThat(reasonOf(name, StatusComputer.TRANSFER_VERIFIED))
                  .isEqualTo("SelfTestDisabled");
              assertThat(condition(name, "Ready").getStatus()).isEqualTo("True");
            });
    save(name, "disabled");

    List<Event> events = client.v1().events().inNamespace(namespace).list().getItems();
    assertThat(events)
        .extracting(Event::getReason)
        .contains(
            "ConnectFailed",
            "PassiveAddressWrong",
            "TransferVerified",
            "LoginFailed",
            "DataPortUnreachable",
            "TlsFailed",
            "SelfTestDisabled");
    assertThat(events)
        .filteredOn(e -> "TransferVerified".equals(e.getReason()))
        .as("one Event per transition")
        .hasSize(1);
  }

  Map<String, String> podVerdicts(String name) {
    Map<String, String> verdicts = new HashMap<>();
    FtpServer ftp = ftp(name);
    if (ftp.getStatus() != null
        && ftp.getStatus().getSelfTest() != null
        && ftp.getStatus().getSelfTest().getPods() != null) {
      for (PodSelfTestStatus pod : ftp.getStatus().getSelfTest().getPods()) {
        verdicts.put(pod.getName(), pod.getLastResult() + "@" + pod.getLastSuccessTime());
      }
    }
    return verdicts;
  }

  @Test
  void eachReplicaThatAnswersAProbeHasItsOwnVerdictAndSteadyProbesWriteNothing() throws Exception {
    namespace = TestCluster.newNamespace("selftest-pods");
    String name = "pair";
    int min = 30074;
    int max = 30077;
    assertThat(LoopbackFtpServer.allFree(min, max - min + 1))
        .as("ports %d-%d free", min, max)
        .isTrue();
    usersSecret(name);
    FtpServer replicated = nodePortServer(name, min, max);
    replicated.getSpec().setReplicas(2);
    StorageSpec storage = new StorageSpec();
    storage.setAccessMode(AccessMode.ReadWriteMany);
    replicated.getSpec().setStorage(storage);
    client.resource(replicated).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> client.apps().statefulSets().inNamespace(namespace).withName(name).get() != null);
    TestCluster.markStatefulSetAvailable(client, namespace, name, 2);
    String password =
        ProbeSecret.password(
                client
                    .secrets()
                    .inNamespace(namespace)
                    .withName(Names.probeSecret(ftp(name)))
                    .get())
            .orElseThrow();
    Map<String, String> onNodePort =
        Map.of("FTP_CONTROL_PORT", Integer.toString(controlNodePort(name)));

    // the "load balancer" sends the probe to pod 1, then to pod 0: each names itself
    try (LoopbackFtpServer one =
        LoopbackFtpServer.start(
            password, with(onNodePort, "FTP_POD_NAME", name + "-1"), min, max)) {
      nextProbe()
          .untilAsserted(
              () ->
                  assertThat(podVerdicts(name))
                      .containsOnlyKeys(name + "-1")
                      .hasEntrySatisfying(
                          name + "-1", v -> assertThat(v).startsWith("TransferVerified@20")));
    }
    try (LoopbackFtpServer zero =
        LoopbackFtpServer.start(
            password, with(onNodePort, "FTP_POD_NAME", name + "-0"), min, max)) {
      nextProbe()
          .untilAsserted(
              () -> assertThat(podVerdicts(name)).containsOnlyKeys(name + "-0", name + "-1"));
      assertThat(ftp(name).getStatus().getSelfTest().getPods())
          .extracting(PodSelfTestStatus::getName)
          .as("in ordinal order")
          .containsExactly(name + "-0", name + "-1");

      // further successful probes of the same pod change nothing: no status write per probe
      String version = ftp(name).getMetadata().getResourceVersion();
      await()
          .during(Duration.ofSeconds(25))
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> version.equals(ftp(name).getMetadata().getResourceVersion()));
    }
  }

  static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(key, value);
    return copy;
  }
}

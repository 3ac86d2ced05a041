package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.PrintCommandListener;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The end-to-end scenario on k3s (Testcontainers' K3s module), for contributors whose machine runs
 * Docker: the CRD from crds/, the operator in this JVM against k3s, examples/minimal.yaml applied,
 * Ready awaited, then a transfer in passive (PASV) and extended passive (EPSV) mode through the
 * address k3s's service load balancer (klipper-lb) gave the Service. k3s pulls its own images; the
 * FTP server image is imported into its containerd from the tar the k3s profile builds
 * (ftp-server/target/jib-image.tar). Without a Docker engine every test here is skipped with the
 * reason, never passed. {@code mvn verify -Pk3s}; the same scenario runs on the local cluster in
 * e2e/run.sh (make e2e), which stays the test of record.
 */
@EnabledIf(value = "dockerAnswers", disabledReason = FtpServerOnK3sIT.NO_DOCKER)
class FtpServerOnK3sIT {

  static final DockerImageName K3S_IMAGE =
      DockerImageName.parse(System.getProperty("k3s.image", "rancher/k3s:v1.34.1-k3s1"))
          .asCompatibleSubstituteFor("rancher/k3s");
  static final Path SERVER_IMAGE_TAR =
      Path.of(System.getProperty("ftp-server.image.tar", "../ftp-server/target/jib-image.tar"));
  static final Path CRD = Path.of("..", "crds", "ftpservers.ftp.operator.dev-v1.yml");
  static final Path EXAMPLE = Path.of("..", "examples", "minimal.yaml");
  static final String NAMESPACE = "ftp-k3s";
  static final String USER = "demo";
  static final String PASSWORD = "demo-password-change-me"; // as in examples/minimal.yaml
  static final int PASSIVE_MIN = 30000;
  static final int PASSIVE_MAX = 30009;
  static final ResourceDefinitionContext FTP_SERVERS =
      new ResourceDefinitionContext.Builder()
          .withGroup("ftp.operator.dev")
          .withVersion("v1alpha1")
          .withKind("FtpServer")
          .withPlural("ftpservers")
          .withNamespaced(true)
          .build();

  static K3sContainer k3s;
  static KubernetesClient client;
  static Operator operator;
  static String loadBalancerAddress;
  static boolean loadBalancerReachable;

  static final String NO_DOCKER =
      "no Docker engine answers: the k3s tier needs one (skipped, not passed)";
  static final boolean DOCKER_ANSWERS = probeDocker();

  static boolean probeDocker() {
    boolean answers = DockerClientFactory.instance().isDockerAvailable();
    if (!answers) {
      System.err.println("FtpServerOnK3sIT: " + NO_DOCKER);
    }
    return answers;
  }

  static boolean dockerAnswers() {
    return DOCKER_ANSWERS;
  }

  @RegisterExtension
  static final TestWatcher DIAGNOSTICS =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          dumpDiagnostics();
        }
      };

  @BeforeAll
  static void clusterWithOperatorAndExample() throws Exception {
    try {
      setUp();
    } catch (Exception | AssertionError e) {
      dumpDiagnostics();
      throw e;
    }
  }

  static void setUp() throws Exception {
    assertThat(SERVER_IMAGE_TAR)
        .as("the FTP server image tar; `mvn verify -Pk3s` builds it (jib:buildTar)")
        .exists();

    // node ports away from the passive ports, as on the local cluster: klipper-lb binds every
    // Service port as a host port, and a node port equal to a passive port would shadow it
    k3s =
        new K3sContainer(K3S_IMAGE)
            .withCommand(
                "server",
                "--disable=traefik",
                "--disable=metrics-server",
                "--service-node-port-range=32000-32767",
                "--tls-san=" + DockerClientFactory.instance().dockerHostIpAddress());
    k3s.start();

    k3s.copyFileToContainer(MountableFile.forHostPath(SERVER_IMAGE_TAR), "/tmp/ftp-server.tar");
    ExecResult imported =
        k3s.execInContainer(
            "k3s", "ctr", "-n", "k8s.io", "images", "import", "/tmp/ftp-server.tar");
    assertThat(imported.getExitCode()).as(imported.getStderr()).isZero();
    ExecResult images = k3s.execInContainer("k3s", "ctr", "-n", "k8s.io", "images", "ls", "-q");
    assertThat(images.getStdout())
        .as("the image the operator puts into FtpServer pods")
        .contains(FtpServers.SETTINGS.serverImage());

    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
    installCrd();
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(
        new FtpServerReconciler(FtpServers.SETTINGS, new SimpleMeterRegistry()),
        o -> o.watchingAllNamespaces());
    operator.start();

    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    try (InputStream in = Files.newInputStream(EXAMPLE)) {
      for (HasMetadata item : client.load(in).items()) {
        client.resource(item).inNamespace(NAMESPACE).create();
      }
    }
    // kubectl wait --for=condition=Ready ftpserver/demo
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> "True".equals(conditionStatus("Ready")));
    String endpoint = String.valueOf(status().get("endpoint"));
    URI uri = URI.create(endpoint);
    assertThat(uri.getScheme()).as(endpoint).isEqualTo("ftp");
    assertThat(uri.getPort()).as(endpoint).isEqualTo(21);
    loadBalancerAddress = uri.getHost();
    assertThat(status().get("publicAddress")).isEqualTo(loadBalancerAddress);
    assertThat(status().get("passivePorts")).isEqualTo(PASSIVE_MIN + "-" + PASSIVE_MAX);
    // The client connects as an outside client does: to the load balancer's address, the k3s
    // node's address on the Docker network. Whether this JVM can route there at all is asked of
    // k3s's API port on that address, which does not depend on anything under test.
    loadBalancerReachable = reachable(loadBalancerAddress, K3sContainer.KUBE_SECURE_PORT);
    if (loadBalancerReachable) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> reachable(loadBalancerAddress, 21));
    }
  }

  static void assumeLoadBalancerReachable() {
    assumeTrue(
        loadBalancerReachable,
        "the k3s node's address "
            + loadBalancerAddress
            + " is not routable from this JVM (Docker not on this host's network, e.g. Docker"
            + " Desktop): skipped, not passed");
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.close();
    }
    if (k3s != null) {
      k3s.stop();
    }
  }

  @Test
  void passiveTransferThroughTheLoadBalancerAddress() throws Exception {
    assumeLoadBalancerReachable();
    StringWriter log = new StringWriter();
    FTPClient ftp = login(log);
    ftp.setUseEPSVwithIPv4(false);
    byte[] sent = payload(1 << 20, 1);
    assertThat(ftp.storeFile("pasv.bin", new ByteArrayInputStream(sent)))
        .as(ftp.getReplyString())
        .isTrue();
    assertThat(ftp.getPassiveHost())
        .as("the address in the PASV reply")
        .isEqualTo(loadBalancerAddress);
    assertThat(ftp.getPassivePort()).isBetween(PASSIVE_MIN, PASSIVE_MAX);
    assertThat(retrieve(ftp, "pasv.bin")).isEqualTo(sent);
    assertThat(ftp.listNames()).contains("pasv.bin");
    ftp.logout();
    ftp.disconnect();
    assertThat(log.toString()).contains("227 ").doesNotContain("EPSV");
  }

  @Test
  void extendedPassiveTransferThroughTheLoadBalancerAddress() throws Exception {
    assumeLoadBalancerReachable();
    StringWriter log = new StringWriter();
    FTPClient ftp = login(log);
    ftp.setUseEPSVwithIPv4(true);
    byte[] sent = payload(1 << 20, 2);
    assertThat(ftp.storeFile("epsv.bin", new ByteArrayInputStream(sent)))
        .as(ftp.getReplyString())
        .isTrue();
    assertThat(retrieve(ftp, "epsv.bin")).isEqualTo(sent);
    assertThat(ftp.listNames()).contains("epsv.bin");
    ftp.logout();
    ftp.disconnect();
    Matcher epsv = Pattern.compile("229 [^(]*\\(\\|\\|\\|(\\d+)\\|\\)").matcher(log.toString());
    assertThat(epsv.find()).as(log.toString()).isTrue();
    assertThat(Integer.parseInt(epsv.group(1))).isBetween(PASSIVE_MIN, PASSIVE_MAX);
    assertThat(log.toString()).doesNotContain("PASV");
  }

  static FTPClient login(StringWriter log) throws IOException {
    FTPClient ftp = new FTPClient();
    ftp.addProtocolCommandListener(new PrintCommandListener(new PrintWriter(log), true));
    ftp.setConnectTimeout(10_000);
    ftp.setDefaultTimeout(30_000);
    ftp.setDataTimeout(Duration.ofSeconds(30));
    // use the address the server advertises, so the test sees whether it is the right one
    ftp.setPassiveNatWorkaroundStrategy(null);
    ftp.connect(loadBalancerAddress, 21);
    assertThat(FTPReply.isPositiveCompletion(ftp.getReplyCode())).as(ftp.getReplyString()).isTrue();
    assertThat(ftp.login(USER, PASSWORD)).as(ftp.getReplyString()).isTrue();
    ftp.setFileType(FTP.BINARY_FILE_TYPE);
    ftp.enterLocalPassiveMode();
    return ftp;
  }

  static byte[] retrieve(FTPClient ftp, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ftp.retrieveFile(name, out)).as(ftp.getReplyString()).isTrue();
    return out.toByteArray();
  }

  static byte[] payload(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void installCrd() throws IOException {
    try (InputStream in = Files.newInputStream(CRD)) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).create();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              k ->
                                  "Established".equals(k.getType())
                                      && "True".equals(k.getStatus())),
              60,
              TimeUnit.SECONDS);
    }
  }

  /** The FtpServer's status as kubectl shows it (read generically, as a user's tools do). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> status() {
    GenericKubernetesResource ftp =
        client
            .genericKubernetesResources(FTP_SERVERS)
            .inNamespace(NAMESPACE)
            .withName("demo")
            .get();
    Object status = ftp == null ? null : ftp.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  @SuppressWarnings("unchecked")
  static String conditionStatus(String type) {
    Object conditions = status().get("conditions");
    if (!(conditions instanceof List<?> list)) {
      return null;
    }
    for (Object c : list) {
      Map<String, Object> condition = (Map<String, Object>) c;
      if (type.equals(condition.get("type"))) {
        return String.valueOf(condition.get("status"));
      }
    }
    return null;
  }

  static void dumpDiagnostics() {
    if (client == null) {
      return;
    }
    try {
      System.out.println("--- FtpServer status: " + status());
      client
          .v1()
          .events()
          .inNamespace(NAMESPACE)
          .list()
          .getItems()
          .forEach(
              e ->
                  System.out.println(
                      "--- event "
                          + e.getInvolvedObject().getKind()
                          + "/"
                          + e.getInvolvedObject().getName()
                          + " "
                          + e.getReason()
                          + ": "
                          + e.getMessage()));
      for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
        System.out.println(
            "--- pod "
                + pod.getMetadata().getNamespace()
                + "/"
                + pod.getMetadata().getName()
                + " "
                + pod.getStatus().getPhase());
      }
      for (Pod pod : client.pods().inNamespace(NAMESPACE).list().getItems()) {
        System.out.println("--- log of " + pod.getMetadata().getName());
        System.out.println(
            client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).getLog());
      }
      System.out.println(
          "--- services " + client.services().inNamespace(NAMESPACE).list().getItems());
    } catch (RuntimeException e) {
      System.out.println("diagnostics incomplete: " + e);
    }
  }
}

package dev.ftpoperator.operator;

import static org.awaitility.Awaitility.await;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real kube-apiserver + etcd per test JVM (io.fabric8:kube-api-test, binaries laid out under
 * ~/.kubeapitest by local-cluster/build-binaries.sh kubeapitest), the CRD from the build applied,
 * and on demand the operator itself, run by plain java-operator-sdk against it. No controller
 * manager runs: tests play the cloud controller (Service load-balancer status) and the Deployment
 * controller (Deployment status) themselves.
 */
public final class TestCluster {

  public static final String K8S_VERSION = "1.34.4";
  public static final Path CRD =
      Path.of("target", "kubernetes", "ftpservers.ftp.operator.dev-v1.yml");

  private static KubeAPIServer server;
  private static KubernetesClient client;
  private static Operator operator;

  /** Reconciles the test operator ran, per FtpServer. */
  static final ReconcileCounter RECONCILES = new ReconcileCounter();

  /** The test operator's own meters (FtpServerMeters). */
  static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private TestCluster() {}

  /** A client of the test API server (started, CRD installed, on first use). */
  public static synchronized KubernetesClient client() {
    return client(List.of());
  }

  /** The same, the API server started with these further flags when this is the first use. */
  public static synchronized KubernetesClient client(List<String> apiServerFlags) {
    if (client == null) {
      server =
          new KubeAPIServer(
              KubeAPIServerConfigBuilder.anAPIServerConfig()
                  .withApiServerVersion(K8S_VERSION)
                  .withOfflineMode(true)
                  .withUpdateKubeConfig(false)
                  .withApiServerFlags(apiServerFlags)
                  .build());
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(TestCluster::shutdown));
      client = newClient();
      installCrd(client);
    }
    return client;
  }

  static KubernetesClient newClient() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
        .build();
  }

  /**
   * Starts the operator (once per JVM), watching all namespaces. It runs as a ServiceAccount bound
   * to exactly the rules of operator/rbac/ftp-operator-rbac.yaml (the API server authorizes with
   * RBAC), so every test also proves that RBAC is enough.
   */
  public static synchronized void startOperator() {
    client();
    if (operator == null) {
      KubernetesClient operatorClient = operatorClient();
      operator =
          new Operator(
              o ->
                  o.withKubernetesClient(operatorClient)
                      .withCloseClientOnStop(true)
                      .withReconciliationTerminationTimeout(Duration.ofSeconds(2))
                      .withMetrics(RECONCILES));
      operator.register(new FtpServerReconciler(SETTINGS, METERS), o -> o.watchingAllNamespaces());
      operator.start();
    }
  }

  /**
   * Stops the running operator and starts a new one, as a rollout of the operator would: fresh
   * caches, everything read again from the API server.
   */
  public static synchronized void restartOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
    startOperator();
  }

  /** The operator's defaults, with a self-test timeout short enough for tests of its faults. */
  static final OperatorSettings SETTINGS =
      FtpServers.SETTINGS.withSelfTest(
          new OperatorSettings.SelfTestSettings(
              4, Duration.ofSeconds(2), 3, Duration.ofMinutes(10)));

  public static final Path RBAC = Path.of("rbac", "ftp-operator-rbac.yaml");
  static final String OPERATOR_NAMESPACE = "ftp-operator-system";
  static final String OPERATOR_ACCOUNT = "ftp-operator";

  /** A client authenticated only by the operator's ServiceAccount token (no admin certificate). */
  static KubernetesClient operatorClient() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(client.getConfiguration().getMasterUrl())
            .withTrustCerts(true)
            .withOauthToken(operatorToken())
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A kubeconfig with the operator's ServiceAccount token, for the operator as a process (the
   * packaged Quarkus app), which reads it from $KUBECONFIG.
   */
  static String operatorKubeconfig(String namespace) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: test",
        "  cluster: {server: '"
            + client.getConfiguration().getMasterUrl()
            + "', insecure-skip-tls-verify: true}",
        "users:",
        "- name: operator",
        "  user: {token: '" + operatorToken() + "'}",
        "contexts:",
        "- name: test",
        "  context: {cluster: test, user: operator, namespace: " + namespace + "}",
        "current-context: test",
        "");
  }

  /** A token of the operator's ServiceAccount, bound to exactly the rules of {@link #RBAC}. */
  static String operatorToken() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(OPERATOR_NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    client
        .serviceAccounts()
        .inNamespace(OPERATOR_NAMESPACE)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(OPERATOR_ACCOUNT)
                .endMetadata()
                .build())
        .serverSideApply();
    try (InputStream in = Files.newInputStream(RBAC)) {
      for (HasMetadata rbac : client.load(in).items()) {
        client.resource(rbac).forceConflicts().serverSideApply();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return client
        .serviceAccounts()
        .inNamespace(OPERATOR_NAMESPACE)
        .withName(OPERATOR_ACCOUNT)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /** Plays the Deployment controller (none runs here): one replica of {@code name} available. */
  static void markDeploymentAvailable(KubernetesClient client, String namespace, String name) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            d -> {
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(1)
                      .withReadyReplicas(1)
                      .withAvailableReplicas(1)
                      .withUpdatedReplicas(1)
                      .build());
              return d;
            });
  }

  /**
   * Plays the StatefulSet controller (none runs here): all {@code replicas} of {@code name} ready.
   */
  static void markStatefulSetAvailable(
      KubernetesClient client, String namespace, String name, int replicas) {
    client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            s -> {
              s.setStatus(
                  new StatefulSetStatusBuilder()
                      .withObservedGeneration(s.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .withCurrentReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .build());
              return s;
            });
  }

  /** A fresh namespace for one test. */
  public static String newNamespace(String prefix) {
    String name = (prefix + "-" + NAMESPACES.incrementAndGet()).toLowerCase(Locale.ROOT);
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  static void installCrd(KubernetesClient client) {
    if (!Files.exists(CRD)) {
      throw new IllegalStateException(CRD + " missing: these tests run after `mvn package`");
    }
    try (InputStream in = Files.newInputStream(CRD)) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).forceConflicts().serverSideApply();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              CustomResourceDefinition crd =
                  client
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName(FtpServer.CRD_NAME)
                      .get();
              return crd != null
                  && crd.getStatus() != null
                  && crd.getStatus().getConditions() != null
                  && crd.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }

  private static synchronized void shutdown() {
    try {
      if (operator != null) {
        operator.stop();
      }
    } catch (RuntimeException e) {
      // stopping anyway
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }
}

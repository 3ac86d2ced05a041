package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as it ships, the packaged Quarkus app (target/quarkus-app/quarkus-run.jar), as a
 * process against the test API server, with the operator's ServiceAccount token (so under the RBAC
 * of operator/rbac) and configured by environment variables as the chart does.
 */
final class PackagedOperator {

  /** This build's; -Doperator.app=.../quarkus-run.jar another's (make bench-operator compares). */
  static final Path APP =
      Path.of(
          System.getProperty(
              "operator.app", Path.of("target", "quarkus-app", "quarkus-run.jar").toString()));

  /** The image's JVM flags (its entrypoint reads the same file), as a java launcher argument. */
  static final List<String> IMAGE_JVM =
      List.of("@" + Path.of("src", "main", "jib", "jvm.options").toAbsolutePath());

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final String identity;
  final Process process;
  final int managementPort;

  private PackagedOperator(String identity, Process process, int managementPort) {
    this.identity = identity;
    this.process = process;
    this.managementPort = managementPort;
  }

  /**
   * Starts it watching {@code namespaces}, and waits until /q/health/live answers. {@code
   * jvmOptions} normally begin with {@link #IMAGE_JVM}.
   */
  static PackagedOperator start(
      String identity, String namespaces, List<String> jvmOptions, Map<String, String> environment)
      throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "packaged-operator"));
    Path kubeconfig = dir.resolve(identity + ".kubeconfig");
    Files.writeString(kubeconfig, TestCluster.operatorKubeconfig(TestCluster.OPERATOR_NAMESPACE));
    int management = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", APP.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(identity + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    env.put("HOSTNAME", identity);
    env.put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
    env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
    env.put("QUARKUS_OPERATOR_SDK_NAMESPACES", namespaces);
    env.putAll(environment);
    PackagedOperator app = new PackagedOperator(identity, pb.start(), management);
    // never outlive the test JVM (an operator left running would keep writing to a dead API server)
    Runtime.getRuntime().addShutdownHook(new Thread(app.process::destroyForcibly));
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(app.process.isAlive()).as(identity + " exited, see its log").isTrue();
              return app.get("/q/health/live").statusCode() == 200;
            });
    return app;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** As Prometheus 2.x asks when it does not negotiate OpenMetrics, and as promtool reads. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
            .header("Accept", "text/plain; version=0.0.4")
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/q/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The sum of every sample of a metric family (0 when the operator has none yet). */
  static double sum(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, as the kubelet stops a pod; true if the process ended within {@code limit}. */
  boolean terminate(Duration limit) throws InterruptedException {
    process.destroy();
    return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  String log() throws IOException {
    return Files.readString(Path.of("target", "packaged-operator", identity + ".log"));
  }
}

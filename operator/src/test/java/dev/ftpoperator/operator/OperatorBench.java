package dev.ftpoperator.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * make bench-operator: N FtpServers (-Dbench.n, default 1000) on one operator, the packaged Quarkus
 * app, against the real API server tier (kube-apiserver + etcd, no controllers, no pods). It prints
 * the time until every FtpServer has all its owned objects and a status, reconcile latency
 * quantiles (the operator's own histogram), RSS and heap after GC, API requests and writes per
 * FtpServer (from the API server's audit log, the operator's user only), writes during a steady
 * state, and the same after a restart with all N present. Not a test: no thresholds fail it; the
 * figures are for people (targets: converged within 60 s, RSS <= 256 MiB, 0 steady and 0 re-sync
 * writes).
 */
class OperatorBench {

  static final int N = Integer.getInteger("bench.n", 1000);
  static final int STEADY_SECONDS = Integer.getInteger("bench.steady", 60);

  /** As in the image (jib entrypoint) under the chart's 512Mi memory limit. */
  static final List<String> JVM =
      List.of(
          System.getProperty("bench.jvm", "-XX:MaxRAM=512m -XX:MaxRAMPercentage=75").split(" "));

  static final String OPERATOR_USER = "system:serviceaccount:ftp-operator-system:ftp-operator";
  static final Path DIR = Path.of("target", "bench-operator").toAbsolutePath();

  @Test
  void thousandFtpServers() throws Exception {
    Files.createDirectories(DIR);
    Path policy = DIR.resolve("audit-policy.yaml");
    Path audit = DIR.resolve("audit.log");
    Files.deleteIfExists(audit);
    Files.writeString(
        policy,
        String.join(
            "\n",
            "apiVersion: audit.k8s.io/v1",
            "kind: Policy",
            "omitStages: [RequestReceived]",
            "rules:",
            "- level: Metadata",
            "  users: [\"" + OPERATOR_USER + "\"]",
            "- level: None",
            ""));
    KubernetesClient client =
        TestCluster.client(
            List.of(
                "--audit-policy-file=" + policy,
                "--audit-log-path=" + audit,
                "--audit-log-maxsize=2000"));
    // kube-api-test's Service range is a /24 (and its flag wins over ours): N ClusterIPs need more
    client
        .resource(
            String.join(
                "\n",
                "apiVersion: networking.k8s.io/v1",
                "kind: ServiceCIDR",
                "metadata: {name: bench}",
                "spec: {cidrs: [10.96.0.0/16]}"))
        .create();
    String ns = TestCluster.newNamespace("bench");
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("users")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("alice", "wonderland"))
                .build())
        .create();

    PackagedOperator operator = PackagedOperator.start("bench-1", ns, JVM, Map.of());
    long mark = Files.size(audit);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    IntStream.range(0, N)
        .forEach(i -> pool.submit(() -> client.resource(ftpServer(ns, i)).create()));
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
    double created = seconds(start);
    long lastCreate = System.nanoTime();
    awaitConverged(client, ns);
    double converged = seconds(lastCreate);
    Audit first = Audit.read(audit, mark);
    String metrics = operator.metrics();

    System.out.printf(
        "%nbench-operator: N=%d FtpServers, operator JVM %s, load %s%n", N, JVM, load());
    System.out.printf(
        "  created in %.1f s; all with ConfigMap, PVC, Service, Deployment and status %.1f s after the last create (target 60 s)%n",
        created, converged);
    System.out.printf(
        "  reconcile latency p50 %.3f s, p95 %.3f s, p99 %.3f s (%d reconciles)%n",
        quantile(metrics, 0.50),
        quantile(metrics, 0.95),
        quantile(metrics, 0.99),
        (long) PackagedOperator.sum(metrics, "operator_sdk_reconciliations_started_total"));
    System.out.printf(
        "  API requests per FtpServer %.1f, writes per FtpServer %.2f %s%n",
        first.requests / (double) N, first.writes / (double) N, first.writesByResource);
    memory(operator);

    mark = Files.size(audit);
    Thread.sleep(STEADY_SECONDS * 1000L);
    Audit steady = Audit.read(audit, mark);
    System.out.printf(
        "  steady state %d s: %d requests, %d writes (target 0) %s%n",
        STEADY_SECONDS, steady.requests, steady.writes, steady.writesByResource);
    memory(operator);

    operator.kill();
    mark = Files.size(audit);
    long restart = System.nanoTime();
    PackagedOperator second = PackagedOperator.start("bench-2", ns, JVM, Map.of());
    double up = seconds(restart);
    while (PackagedOperator.sum(second.metrics(), "operator_sdk_reconciliations_success_total") < N
        || PackagedOperator.sum(
                second.metrics(), "operator_sdk_reconciliations_queue_size_ftpserver")
            > 0) {
      Thread.sleep(250);
    }
    double resynced = seconds(restart);
    Thread.sleep(2000);
    Audit resync = Audit.read(audit, mark);
    System.out.printf(
        "  restart with all N present: up in %.1f s, every FtpServer reconciled %.1f s after the start; %d requests, %d writes (target 0) %s%n",
        up, resynced, resync.requests, resync.writes, resync.writesByResource);
    memory(second);
    System.out.printf("  load %s%n", load());
    second.kill();
  }

  static FtpServer ftpServer(String ns, int i) {
    FtpServer ftp = new FtpServer();
    ftp.getMetadata().setName("ftp-" + i);
    ftp.getMetadata().setNamespace(ns);
    FtpServerSpec spec = new FtpServerSpec();
    // nothing answers at the test addresses, and tests send traffic only to loopback
    spec.setSelfTest(new SelfTestSpec(false, 60));
    spec.setUsers(new UsersSpec("users"));
    spec.setPassivePorts(new PassivePorts(30000, 30001));
    spec.setPassiveAddress("203.0.113.10");
    ServiceSpec service = new ServiceSpec();
    service.setType(ServiceType.ClusterIP);
    spec.setService(service);
    ftp.setSpec(spec);
    return ftp;
  }

  static void awaitConverged(KubernetesClient client, String ns) throws InterruptedException {
    while (true) {
      long withStatus =
          client.resources(FtpServer.class).inNamespace(ns).list().getItems().stream()
              .filter(
                  f ->
                      f.getStatus() != null
                          && f.getMetadata()
                              .getGeneration()
                              .equals(f.getStatus().getObservedGeneration()))
              .count();
      long owned =
          IntStream.of(
                  count(client, ns, ConfigMap.class),
                  count(client, ns, PersistentVolumeClaim.class),
                  count(client, ns, Service.class),
                  count(client, ns, Deployment.class))
              .min()
              .orElse(0);
      if (withStatus >= N && owned >= N) {
        return;
      }
      Thread.sleep(1000);
    }
  }

  static int count(KubernetesClient client, String ns, Class<? extends HasMetadata> type) {
    return client
        .resources(type)
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/managed-by", "ftp-operator")
        .list()
        .getItems()
        .size();
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static String load() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  /** RSS from /proc, heap used after a full GC from the app's own jvm_memory_used_bytes. */
  static void memory(PackagedOperator operator) throws Exception {
    long pid = operator.process.pid();
    new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
    String rss =
        Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
            .filter(l -> l.startsWith("VmRSS:"))
            .findFirst()
            .orElse("VmRSS: ?");
    double heap =
        operator
            .metrics()
            .lines()
            .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    System.out.printf(
        "  operator RSS %d MiB (target 256), heap after GC %.0f MiB%n",
        Long.parseLong(rss.replaceAll("[^0-9]", "")) / 1024, heap / (1 << 20));
  }

  /** A quantile of the reconcile histogram (linear within the bucket). */
  static double quantile(String metrics, double q) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    metrics
        .lines()
        .filter(l -> l.startsWith("operator_sdk_controllers_execution_reconcile_seconds_bucket{"))
        .forEach(
            l -> {
              String le = l.replaceAll(".*le=\"([^\"]+)\".*", "$1");
              double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
              buckets.merge(
                  bound, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
            });
    if (buckets.isEmpty()) {
      return Double.NaN;
    }
    double total = buckets.lastEntry().getValue();
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (Map.Entry<Double, Double> b : buckets.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) {
          return lower;
        }
        double inBucket = b.getValue() - below;
        return inBucket == 0
            ? b.getKey()
            : lower + (b.getKey() - lower) * (rank - below) / inBucket;
      }
      lower = b.getKey();
      below = b.getValue();
    }
    return lower;
  }

  /** The operator's requests in the audit log from a byte offset on. */
  record Audit(long requests, long writes, Map<String, Long> writesByResource) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Audit read(Path log, long from) throws IOException {
      long requests = 0;
      long writes = 0;
      Map<String, Long> byResource = new TreeMap<>();
      List<String> lines = new ArrayList<>();
      try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
        f.seek(from);
        byte[] rest = new byte[(int) (f.length() - from)];
        f.readFully(rest);
        lines.addAll(new String(rest, StandardCharsets.UTF_8).lines().toList());
      }
      for (String line : lines) {
        JsonNode e = JSON.readTree(line);
        if (!"ResponseComplete".equals(e.path("stage").asText())
            || !OPERATOR_USER.equals(e.path("user").path("username").asText())) {
          continue;
        }
        requests++;
        String verb = e.path("verb").asText();
        if (List.of("create", "update", "patch", "delete").contains(verb)) {
          writes++;
          String resource =
              e.path("objectRef").path("resource").asText()
                  + (e.path("objectRef").has("subresource")
                      ? "/" + e.path("objectRef").path("subresource").asText()
                      : "");
          byResource.merge(verb + " " + resource, 1L, Long::sum);
        }
      }
      return new Audit(requests, writes, byResource);
    }
  }
}

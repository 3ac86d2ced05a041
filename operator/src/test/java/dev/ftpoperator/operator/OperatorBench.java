package dev.ftpoperator.operator;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import dev.ftpoperator.operator.selftest.LoopbackFtpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * make bench-operator: N FtpServers (-Dbench.n, default 1000) on one operator, the packaged Quarkus
 * app with the image's JVM flags, against the real API server tier (kube-apiserver + etcd, no
 * controllers, no pods). It prints the time until every FtpServer has all its owned objects and a
 * status, per-FtpServer create-to-status latency and reconcile time quantiles, RSS, heap after GC
 * and threads, API requests and writes per FtpServer (from the API server's audit log, the
 * operator's user only), the CPU seconds the operator, kube-apiserver, etcd and the rest of the
 * machine spent, writes during a steady state, and the same after a restart with all N present.
 *
 * <p>With -Dbench.selftest=true the FtpServers have the self-test on and their endpoint is one FTP
 * server (the project's own, in this JVM) on a loopback address: the bench plays the Deployment
 * controller (available replicas), pre-creates each probe Secret with that server's password, and
 * prints what the probes cost (probes per minute, threads, heap, CPU, writes). Not a test: no
 * thresholds fail it; the figures are for people (targets: converged within 60 s, RSS <= 256 MiB, 0
 * steady and 0 re-sync writes).
 */
class OperatorBench {

  static final int N = Integer.getInteger("bench.n", 1000);
  static final int STEADY_SECONDS = Integer.getInteger("bench.steady", 60);
  static final boolean SELF_TEST = Boolean.getBoolean("bench.selftest");

  /** The FtpServers' spec.selfTest.intervalSeconds (the default). */
  static final int SELF_TEST_INTERVAL = 60;

  /** -Dbench.jfr=DIR: a flight recording (profile settings) of each operator run, dumped there. */
  static final String JFR = System.getProperty("bench.jfr");

  /**
   * The image's JVM flags (src/main/jib/jvm.options) under the chart's 512Mi memory limit: MaxRAM
   * stands in for the container's cgroup limit, which the JVM reads in the pod. -Dbench.jvm.extra
   * adds flags to compare; -Dbench.nmt=true native memory tracking (a few MiB of its own), whose
   * summary it then prints.
   */
  static final List<String> JVM = jvm();

  /** -Dbench.histogram=N: the N largest classes of the operator's heap with each memory figure. */
  static final int HISTOGRAM = Integer.getInteger("bench.histogram", 0);

  static final String OPERATOR_USER = "system:serviceaccount:ftp-operator-system:ftp-operator";
  static final Path DIR = Path.of("target", "bench-operator").toAbsolutePath();

  /** The self-test's FTP endpoint: a loopback address of its own, the FTP port. */
  static final String PROBED_HOST = "127.0.0.121";

  static final String PROBE_PASSWORD = "bench-probe-password";

  /** Held, so that its level stays set. */
  static final java.util.logging.Logger FTP_LOG =
      java.util.logging.Logger.getLogger("org.apache.ftpserver");

  static final PassivePorts PASSIVE =
      SELF_TEST ? new PassivePorts(30000, 30007) : new PassivePorts(30000, 30001);

  static List<String> jvm() {
    List<String> flags = new ArrayList<>(PackagedOperator.IMAGE_JVM);
    flags.add("-XX:MaxRAM=512m");
    // flags to compare (they follow the image's, so they win)
    String extra = System.getProperty("bench.jvm.extra", "").trim();
    if (!extra.isEmpty()) {
      flags.addAll(List.of(extra.split("\\s+")));
    }
    if (JFR != null) {
      flags.add("-XX:StartFlightRecording=settings=profile");
    }
    if (Boolean.getBoolean("bench.nmt")) {
      flags.add("-XX:NativeMemoryTracking=summary");
    }
    return flags;
  }

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
    LoopbackFtpServer probed = SELF_TEST ? probedServer() : null;
    Tracker tracker = new Tracker(client, ns);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    if (SELF_TEST) {
      // the bench plays the Deployment controller, so that the operator probes
      tracker.onDeployment(
          name -> pool.submit(() -> TestCluster.markDeploymentAvailable(client, ns, name)));
      createProbeSecrets(client, ns, pool);
    }

    PackagedOperator operator = PackagedOperator.start("bench-1", ns, JVM, Map.of());
    Processes processes = Processes.find(operator);
    System.out.printf(
        "%nbench-operator: N=%d FtpServers%s, operator JVM %s, load %s%n",
        N,
        SELF_TEST ? " with the self-test on (endpoint " + PROBED_HOST + ":21)" : "",
        JVM,
        load());
    long mark = Files.size(audit);
    Cpu before = Cpu.read(processes);
    long start = System.nanoTime();
    List<java.util.concurrent.Future<?>> creates = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      int k = i;
      creates.add(
          pool.submit(
              () -> {
                client.resource(ftpServer(ns, k)).create();
                tracker.created(name(k));
              }));
    }
    for (java.util.concurrent.Future<?> f : creates) {
      f.get();
    }
    double created = seconds(start);
    long lastCreate = System.nanoTime();
    tracker.awaitConverged();
    double converged = seconds(lastCreate);
    Cpu convergence = Cpu.read(processes).minus(before);
    Audit first = Audit.read(audit, mark);
    String metrics = operator.metrics();

    System.out.printf(
        "  created in %.1f s; all with ConfigMap, PVC, Service, Deployment and status %.1f s after the last create (target 60 s); load %s%n",
        created, converged, load());
    System.out.printf(
        "  create to status per FtpServer p50 %.1f s, p95 %.1f s, p99 %.1f s, max %.1f s%n",
        tracker.latency(0.50), tracker.latency(0.95), tracker.latency(0.99), tracker.latency(1));
    System.out.printf(
        "  reconcile time p50 %.3f s, p95 %.3f s, p99 %.3f s (%d reconciles, %.2f per FtpServer)%n",
        quantile(metrics, 0.50),
        quantile(metrics, 0.95),
        quantile(metrics, 0.99),
        (long) PackagedOperator.sum(metrics, "operator_sdk_reconciliations_started_total"),
        PackagedOperator.sum(metrics, "operator_sdk_reconciliations_started_total") / N);
    System.out.printf(
        "  API requests per FtpServer %.2f, writes per FtpServer %.2f%n    requests %s%n",
        first.requests / (double) N, first.writes / (double) N, first.perFtpServer(N));
    System.out.printf("  CPU seconds from the first create to converged: %s%n", convergence);
    System.out.printf(
        "    operator CPU seconds by thread since its start: %s%n", threads(operator));
    memory(operator);

    if (SELF_TEST) {
      long verifying = System.nanoTime();
      tracker.awaitVerified();
      System.out.printf(
          "  every FtpServer TransferVerified %.1f s after converged; load %s%n",
          seconds(verifying), load());
    }
    mark = Files.size(audit);
    before = Cpu.read(processes);
    double probesBefore = probes(operator.metrics());
    Thread.sleep(STEADY_SECONDS * 1000L);
    Cpu steadyCpu = Cpu.read(processes).minus(before);
    Audit steady = Audit.read(audit, mark);
    System.out.printf(
        "  steady state %d s: %d requests, %d writes (target 0%s) %s; load %s%n",
        STEADY_SECONDS,
        steady.requests,
        steady.writes,
        SELF_TEST ? " without the self-test" : "",
        steady.byVerb(true),
        load());
    if (SELF_TEST) {
      double probes = probes(operator.metrics()) - probesBefore;
      System.out.printf(
          "  self-test: %.0f probes in %d s = %.0f probes/min (interval %d s: %d/min due; results since the start: %s)%n",
          probes,
          STEADY_SECONDS,
          probes * 60 / STEADY_SECONDS,
          SELF_TEST_INTERVAL,
          N * 60 / SELF_TEST_INTERVAL,
          probeResults(operator.metrics()));
    }
    System.out.printf("  CPU seconds in the steady state: %s%n", steadyCpu);
    memory(operator);

    stop(operator);
    mark = Files.size(audit);
    processes = processes.without("operator");
    before = Cpu.read(processes);
    long restart = System.nanoTime();
    PackagedOperator second = PackagedOperator.start("bench-2", ns, JVM, Map.of());
    double up = seconds(restart);
    processes = Processes.find(second);
    await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              String m = second.metrics();
              return PackagedOperator.sum(m, "operator_sdk_reconciliations_success_total") >= N
                  && PackagedOperator.sum(m, "operator_sdk_reconciliations_queue_size_ftpserver")
                      == 0;
            });
    double resynced = seconds(restart);
    Thread.sleep(2000);
    Cpu resyncCpu = Cpu.read(processes).minus(before);
    Audit resync = Audit.read(audit, mark);
    System.out.printf(
        "  restart with all N present: up in %.1f s, every FtpServer reconciled %.1f s after the start; %d requests, %d writes (target 0%s) %s; load %s%n",
        up,
        resynced,
        resync.requests,
        resync.writes,
        SELF_TEST ? " without the self-test" : "",
        resync.byVerb(true),
        load());
    System.out.printf("    requests %s%n", resync.perFtpServer(N));
    System.out.printf("  CPU seconds from the restart to re-synced: %s%n", resyncCpu);
    System.out.printf("    operator CPU seconds by thread since its start: %s%n", threads(second));
    memory(second);
    System.out.printf("  load %s%n", load());
    stop(second);
    tracker.close();
    pool.shutdownNow();
    if (probed != null) {
      probed.close();
    }
  }

  /** Killed as a pod is; its flight recording dumped first when asked for one. */
  static void stop(PackagedOperator operator) throws Exception {
    if (JFR != null) {
      Path file = Path.of(JFR, operator.identity + ".jfr").toAbsolutePath();
      jcmd(operator.process.pid(), "JFR.dump", "filename=" + file);
      System.out.printf("  flight recording %s%n", file);
    }
    operator.kill();
  }

  static String name(int i) {
    return "ftp-" + i;
  }

  static FtpServer ftpServer(String ns, int i) {
    FtpServer ftp = new FtpServer();
    ftp.getMetadata().setName(name(i));
    ftp.getMetadata().setNamespace(ns);
    FtpServerSpec spec = new FtpServerSpec();
    // off unless the bench's own FTP server on loopback answers (tests send traffic only there)
    spec.setSelfTest(new SelfTestSpec(SELF_TEST, SELF_TEST_INTERVAL));
    spec.setUsers(new UsersSpec("users"));
    spec.setPassivePorts(PASSIVE);
    spec.setPassiveAddress(SELF_TEST ? PROBED_HOST : "203.0.113.10");
    ServiceSpec service = new ServiceSpec();
    service.setType(ServiceType.ClusterIP);
    spec.setService(service);
    ftp.setSpec(spec);
    return ftp;
  }

  /**
   * One FTP server as every FtpServer's endpoint: port 21 (a ClusterIP FtpServer's endpoint is its
   * passiveAddress and the Service port) on a loopback address no one else uses, so it needs root.
   */
  static LoopbackFtpServer probedServer() throws Exception {
    // MINA logs every command at INFO through this JVM's log manager, between the bench's lines
    FTP_LOG.setLevel(java.util.logging.Level.WARNING);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FTP_BIND_ADDRESS", PROBED_HOST);
    env.put("FTP_PUBLIC_ADDRESS", PROBED_HOST);
    env.put("FTP_HTTP_BIND_ADDRESS", PROBED_HOST);
    env.put("FTP_CONTROL_PORT", "21");
    return LoopbackFtpServer.start(PROBE_PASSWORD, env, PASSIVE.getMin(), PASSIVE.getMax());
  }

  /** Each FtpServer's probe Secret as the operator would make it, with the probed server's. */
  static void createProbeSecrets(KubernetesClient client, String ns, ExecutorService pool)
      throws Exception {
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      FtpServer ftp = ftpServer(ns, i);
      Secret secret =
          new SecretBuilder()
              .withMetadata(Names.meta(ftp, Names.probeSecret(ftp), Names.COMPONENT_PROBE))
              .withType("Opaque")
              .withData(
                  Map.of(
                      ProbeSecret.PASSWORD_KEY,
                      Base64.getEncoder()
                          .encodeToString(PROBE_PASSWORD.getBytes(StandardCharsets.UTF_8))))
              .build();
      done.add(pool.submit(() -> client.resource(secret).create()));
    }
    for (java.util.concurrent.Future<?> f : done) {
      f.get();
    }
  }

  static double probes(String metrics) {
    return PackagedOperator.sum(metrics, "ftp_operator_self_test_probes_total");
  }

  static String probeResults(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("ftp_operator_self_test_probes_total{"))
        .map(l -> l.replaceAll(".*result=\"([^\"]+)\".* ([0-9.E]+)$", "$1 $2"))
        .collect(Collectors.joining(", "));
  }

  /**
   * What the bench sees through informers of its own (watches, so it adds no lists to the API
   * server's load): when each FtpServer got its status, and which have each owned object.
   */
  static final class Tracker implements AutoCloseable {
    final Map<String, Long> created = new ConcurrentHashMap<>();
    final Map<String, Long> status = new ConcurrentHashMap<>();
    final Set<String> verified = ConcurrentHashMap.newKeySet();
    final Map<Class<?>, Set<String>> owned = new ConcurrentHashMap<>();
    final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    final KubernetesClient client;
    final String ns;
    volatile Consumer<String> deploymentAdded = name -> {};

    Tracker(KubernetesClient client, String ns) {
      this.client = client;
      this.ns = ns;
      informers.add(
          client
              .resources(FtpServer.class)
              .inNamespace(ns)
              .inform(
                  handler(
                      ftp -> {
                        String name = ftp.getMetadata().getName();
                        if (ftp.getStatus() != null
                            && ftp.getMetadata()
                                .getGeneration()
                                .equals(ftp.getStatus().getObservedGeneration())) {
                          status.putIfAbsent(name, System.nanoTime());
                        }
                        if (StatusComputer.condition(
                                ftp.getStatus(), StatusComputer.TRANSFER_VERIFIED)
                            .filter(c -> "True".equals(c.getStatus()))
                            .isPresent()) {
                          verified.add(name);
                        }
                      })));
      for (Class<? extends HasMetadata> type :
          List.of(ConfigMap.class, PersistentVolumeClaim.class, Service.class, Deployment.class)) {
        Set<String> owners = ConcurrentHashMap.newKeySet();
        owned.put(type, owners);
        informers.add(
            client
                .resources(type)
                .inNamespace(ns)
                .withLabel(Names.LABEL_MANAGED_BY, Names.MANAGED_BY)
                .inform(
                    handler(
                        o -> {
                          String owner = o.getMetadata().getLabels().get(Names.LABEL_INSTANCE);
                          if (owners.add(owner) && type == Deployment.class) {
                            deploymentAdded.accept(o.getMetadata().getName());
                          }
                        })));
      }
    }

    static <T> ResourceEventHandler<T> handler(Consumer<T> seen) {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(T obj) {
          seen.accept(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
          seen.accept(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
      };
    }

    void onDeployment(Consumer<String> added) {
      deploymentAdded = added;
    }

    void created(String name) {
      created.put(name, System.nanoTime());
    }

    void awaitConverged() {
      await()
          .atMost(Duration.ofMinutes(30))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  status.size() >= N
                      && owned.values().stream().mapToInt(Set::size).min().orElse(0) >= N);
    }

    void awaitVerified() {
      await()
          .atMost(Duration.ofMinutes(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> verified.size() >= N);
    }

    /** Quantile of the time from an FtpServer's create (returned) to its status (seen). */
    double latency(double q) {
      double[] sorted =
          created.entrySet().stream()
              .filter(e -> status.containsKey(e.getKey()))
              .mapToDouble(e -> Math.max(0, status.get(e.getKey()) - e.getValue()) / 1e9)
              .sorted()
              .toArray();
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    @Override
    public void close() {
      informers.forEach(SharedIndexInformer::close);
    }
  }

  /** The processes whose CPU the bench accounts: the operator, kube-apiserver and etcd. */
  record Processes(Map<String, Long> pids) {
    static Processes find(PackagedOperator operator) {
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put("operator", operator.process.pid());
      ProcessHandle.current()
          .descendants()
          .forEach(
              p -> {
                String command = p.info().command().orElse("");
                if (command.endsWith("/kube-apiserver")) {
                  pids.put("kube-apiserver", p.pid());
                } else if (command.endsWith("/etcd")) {
                  pids.put("etcd", p.pid());
                }
              });
      pids.put("bench JVM", ProcessHandle.current().pid());
      return new Processes(pids);
    }

    Processes without(String name) {
      Map<String, Long> rest = new LinkedHashMap<>(pids);
      rest.remove(name);
      return new Processes(rest);
    }
  }

  /**
   * CPU seconds (user + system) of each process, and of the whole machine (all cores busy, from
   * /proc/stat): their difference is what the other sessions on the machine took meanwhile.
   */
  record Cpu(Map<String, Double> seconds, double machineBusy, double wall) {
    static final double TICK = 100; // USER_HZ on Linux

    static Cpu read(Processes processes) throws IOException {
      Map<String, Double> seconds = new LinkedHashMap<>();
      for (Map.Entry<String, Long> p : processes.pids().entrySet()) {
        String stat = Files.readString(Path.of("/proc", String.valueOf(p.getValue()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command: f[0] is field 3 (state), so utime (14) is f[11], stime (15) f[12]
        seconds.put(p.getKey(), (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK);
      }
      String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < all.length && i <= 8; i++) {
        // user nice system idle iowait irq softirq steal: idle and iowait are not busy
        if (i != 4 && i != 5) {
          busy += Long.parseLong(all[i]);
        }
      }
      return new Cpu(seconds, busy / TICK, System.nanoTime() / 1e9);
    }

    Cpu minus(Cpu earlier) {
      Map<String, Double> d = new LinkedHashMap<>();
      seconds.forEach((k, v) -> d.put(k, v - earlier.seconds.getOrDefault(k, 0.0)));
      return new Cpu(d, machineBusy - earlier.machineBusy, wall - earlier.wall);
    }

    @Override
    public String toString() {
      double ours = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
      return seconds.entrySet().stream()
              .map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
              .collect(Collectors.joining(", "))
          + String.format(
              "; the machine's cores were busy %.1f of %.1f s (2 cores: %.1f CPU-s available), other processes %.1f",
              machineBusy, wall, 2 * wall, machineBusy - ours);
    }
  }

  /**
   * The operator's CPU seconds by thread name (numbers folded: "vert.x-eventloop-thread-#"), from
   * /proc: JIT compiler and GC threads included, which a Java profiler does not sample.
   */
  static String threads(PackagedOperator operator) throws IOException {
    Map<String, Double> byName = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", String.valueOf(operator.process.pid()), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / Cpu.TICK;
          byName.merge(name.replaceAll("[0-9]+", "#"), cpu, Double::sum);
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return byName.entrySet().stream()
        .filter(e -> e.getValue() >= 0.1)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static String load() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  /**
   * RSS and threads from /proc, heap used after a full GC from the app's own jvm_memory_used_bytes,
   * and with -Dbench.nmt the JVM's own account of its committed memory.
   */
  static void memory(PackagedOperator operator) throws Exception {
    long pid = operator.process.pid();
    jcmd(pid, "GC.run");
    List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"));
    String metrics = operator.metrics();
    System.out.printf(
        "  operator RSS %d MiB (target 256), heap after GC %.0f MiB used of %.0f MiB committed, non-heap %.0f MiB committed, %s threads; load %s%n",
        procStatus(status, "VmRSS") / 1024,
        jvmMemory(metrics, "jvm_memory_used_bytes", "heap") / (1 << 20),
        jvmMemory(metrics, "jvm_memory_committed_bytes", "heap") / (1 << 20),
        jvmMemory(metrics, "jvm_memory_committed_bytes", "nonheap") / (1 << 20),
        procStatus(status, "Threads"),
        load());
    if (HISTOGRAM > 0) {
      // "   1:    123456    7890123  java.util.LinkedHashMap (java.base@17)" after the headers
      System.out.printf(
          "    heap histogram (instances, MiB, class): %s%n",
          jcmd(pid, "GC.class_histogram")
              .lines()
              .filter(l -> l.matches("^\\s*\\d+:\\s+\\d+\\s+\\d+\\s+\\S+.*"))
              .limit(HISTOGRAM)
              .map(l -> l.trim().split("\\s+"))
              .map(f -> String.format("%s %.1f %s", f[1], Long.parseLong(f[2]) / 1048576.0, f[3]))
              .collect(Collectors.joining(", ")));
    }
    if (JVM.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"))) {
      String nmt = jcmd(pid, "VM.native_memory", "summary");
      // "-  Java Heap (reserved=393216KB, committed=131072KB)" and the like
      String summary =
          nmt.lines()
              .filter(l -> l.matches("^-\\s+\\S.*\\(reserved=\\d+KB, committed=\\d+KB.*"))
              .map(
                  l ->
                      l.replaceAll(
                          "^-\\s+(.*?)\\s+\\(reserved=\\d+KB, committed=(\\d+)KB.*", "$1 $2"))
              .map(
                  l -> {
                    int cut = l.lastIndexOf(' ');
                    return l.substring(0, cut) + " " + Long.parseLong(l.substring(cut + 1)) / 1024;
                  })
              .collect(Collectors.joining(", "));
      String total =
          nmt.lines()
              .filter(l -> l.startsWith("Total:"))
              .findFirst()
              .orElse("")
              .replaceAll(".*committed=(\\d+)KB.*", "$1");
      System.out.printf(
          "    native memory tracking, committed MiB: total %d; %s%n",
          total.isEmpty() ? -1 : Long.parseLong(total) / 1024, summary);
    }
  }

  static long procStatus(List<String> status, String key) {
    return status.stream()
        .filter(l -> l.startsWith(key + ":"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1L);
  }

  static double jvmMemory(String metrics, String family, String area) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(family + "{") && l.contains("area=\"" + area + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(String.valueOf(pid));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
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

  /** The operator's requests in the audit log from a byte offset on, by verb and resource. */
  record Audit(long requests, long writes, Map<String, Long> byRequest) {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

    static Audit read(Path log, long from) throws IOException {
      long requests = 0;
      long writes = 0;
      Map<String, Long> byRequest = new TreeMap<>();
      List<String> lines;
      try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
        f.seek(from);
        byte[] rest = new byte[(int) (f.length() - from)];
        f.readFully(rest);
        lines = new String(rest, StandardCharsets.UTF_8).lines().toList();
      }
      for (String line : lines) {
        JsonNode e = JSON.readTree(line);
        if (!"ResponseComplete".equals(e.path("stage").asText())
            || !OPERATOR_USER.equals(e.path("user").path("username").asText())) {
          continue;
        }
        requests++;
        String verb = e.path("verb").asText();
        if (WRITES.contains(verb)) {
          writes++;
        }
        String resource =
            e.path("objectRef").path("resource").asText()
                + (e.path("objectRef").has("subresource")
                    ? "/" + e.path("objectRef").path("subresource").asText()
                    : "");
        byRequest.merge(verb + " " + resource, 1L, Long::sum);
      }
      return new Audit(requests, writes, byRequest);
    }

    /** Counts by verb and resource; only the writes if asked. */
    Map<String, Long> byVerb(boolean writesOnly) {
      return byRequest.entrySet().stream()
          .filter(e -> !writesOnly || WRITES.contains(e.getKey().split(" ")[0]))
          .collect(
              Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    String perFtpServer(int n) {
      return byRequest.entrySet().stream()
          .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / (double) n))
          .collect(Collectors.joining(", "));
    }
  }
}

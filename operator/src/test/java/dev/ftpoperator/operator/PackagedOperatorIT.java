package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as it ships: the packaged Quarkus app (target/quarkus-app/quarkus-run.jar), two
 * processes under the RBAC of operator/rbac, configured by the environment the chart sets, against
 * a real API server. Only the Lease holder reconciles (its /q/metrics counts the reconciles, the
 * standby's counts none); killed (SIGKILL, no Lease release), the standby takes over after the
 * lease duration; stopped (SIGTERM, as the kubelet stops a pod), the leader ends at once and hands
 * the Lease over, so the next standby takes it long before it would expire. The leader's /q/metrics
 * is kept in target/metrics/operator.prom for make check-metrics (promtool, the dashboard's
 * queries).
 */
class PackagedOperatorIT {

  static final Duration LEASE_DURATION = Duration.ofSeconds(8);
  static final String RECONCILES = "operator_sdk_reconciliations_started_total";

  final KubernetesClient client = TestCluster.client();
  final String namespace = TestCluster.newNamespace("packaged");
  final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  PackagedOperator start(String identity) throws IOException {
    PackagedOperator app =
        PackagedOperator.start(
            identity,
            namespace,
            Stream.concat(PackagedOperator.IMAGE_JVM.stream(), Stream.of("-Xmx256m")).toList(),
            Map.of(
                "FTP_OPERATOR_LEADER_ELECTION_ENABLED", "true",
                "FTP_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", TestCluster.OPERATOR_NAMESPACE,
                "FTP_OPERATOR_LEADER_ELECTION_LEASE_DURATION", LEASE_DURATION.toSeconds() + "s",
                "FTP_OPERATOR_LEADER_ELECTION_RENEW_DEADLINE", "6s",
                "FTP_OPERATOR_LEADER_ELECTION_RETRY_PERIOD", "1s"));
    processes.add(app.process);
    return app;
  }

  static String metrics(PackagedOperator app) throws IOException, InterruptedException {
    return app.metrics();
  }

  static double sum(String metrics, String name) {
    return PackagedOperator.sum(metrics, name);
  }

  Optional<String> holder() {
    Lease lease =
        client
            .resources(Lease.class)
            .inNamespace(TestCluster.OPERATOR_NAMESPACE)
            .withName("ftp-operator-leader")
            .get();
    return Optional.ofNullable(lease)
        .map(l -> l.getSpec().getHolderIdentity())
        .filter(h -> !h.isEmpty());
  }

  void createFtpServer(String name, int firstPassivePort) {
    client.resource(ftpServer(name, firstPassivePort)).create();
  }

  FtpServer ftpServer(String name, int firstPassivePort) {
    FtpServer ftp = new FtpServer();
    ftp.getMetadata().setName(name);
    ftp.getMetadata().setNamespace(namespace);
    FtpServerSpec spec = new FtpServerSpec();
    // nothing answers at the test addresses, and tests send traffic only to loopback
    spec.setSelfTest(new SelfTestSpec(false, 60));
    spec.setUsers(new UsersSpec(name + "-users"));
    spec.setPassivePorts(new PassivePorts(firstPassivePort, firstPassivePort + 4));
    ftp.setSpec(spec);
    return ftp;
  }

  boolean hasStatus(String name) {
    FtpServer ftp = client.resources(FtpServer.class).inNamespace(namespace).withName(name).get();
    return ftp != null
        && ftp.getStatus() != null
        && client.resources(Service.class).inNamespace(namespace).withName(name).get() != null;
  }

  @Test
  void onlyTheLeaderReconcilesAKilledLeadersStandbyWaitsForTheLeaseAndAStoppedOneHandsItOver()
      throws Exception {
    // another test's Lease holder (a stopped in-process operator) must have expired first
    await().atMost(Duration.ofSeconds(30)).until(() -> holder().isEmpty() || leaseExpired());
    PackagedOperator a = start("packaged-a");
    await().atMost(Duration.ofSeconds(60)).until(() -> holder().equals(Optional.of("packaged-a")));
    PackagedOperator b = start("packaged-b");

    createFtpServer("first", 30120);
    await().atMost(Duration.ofSeconds(60)).until(() -> hasStatus("first"));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> sum(metrics(a), "ftp_operator_ftpservers") > 0);
    // a reconcile that fails: one of the Service's node ports is taken by another Service, whose
    // port the API server picks (a fixed one could already be held by an earlier test's Service)
    int taken =
        client
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("blocker")
                    .withNamespace(namespace)
                    .endMetadata()
                    .withNewSpec()
                    .withType("NodePort")
                    .addNewPort()
                    .withPort(80)
                    .endPort()
                    .endSpec()
                    .build())
            .create()
            .getSpec()
            .getPorts()
            .get(0)
            .getNodePort();
    FtpServer broken = ftpServer("broken", taken + 4 <= 32767 ? taken : taken - 4);
    broken.getSpec().setService(new ServiceSpec());
    broken.getSpec().getService().setType(ServiceType.NodePort);
    client.resource(broken).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> sum(metrics(a), "operator_sdk_reconciliations_failed_total") > 0);
    String leader = metrics(a);
    assertThat(sum(metrics(b), RECONCILES)).as("the standby reconciled").isZero();
    assertThat(leader.lines())
        .anyMatch(
            l ->
                l.startsWith("ftp_operator_ftpservers{")
                    && l.contains("condition=\"Ready\"")
                    && l.contains("reason=\"ReconcileFailed\"")
                    && l.endsWith(" 1.0"));
    Path saved = Files.createDirectories(Path.of("target", "metrics")).resolve("operator.prom");
    Files.writeString(saved, leader);

    long killed = System.nanoTime();
    a.kill();
    await()
        .atMost(LEASE_DURATION.plusSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> holder().equals(Optional.of("packaged-b")));
    Duration failover = Duration.ofNanos(System.nanoTime() - killed);
    System.out.printf(
        "packaged operator: the standby took the Lease %d ms after the leader was killed"
            + " (lease duration %d s)%n",
        failover.toMillis(), LEASE_DURATION.toSeconds());
    assertThat(failover).isGreaterThanOrEqualTo(LEASE_DURATION.minusSeconds(1));

    createFtpServer("second", 30130);
    await().atMost(Duration.ofSeconds(60)).until(() -> hasStatus("second"));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> sum(metrics(b), RECONCILES) > 0);

    PackagedOperator c = start("packaged-c");
    long stopped = System.nanoTime();
    assertThat(b.terminate(Duration.ofSeconds(20)))
        .as("the leader ended within 20 s of SIGTERM, see its log")
        .isTrue();
    await()
        .atMost(LEASE_DURATION.plusSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> holder().equals(Optional.of("packaged-c")));
    Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
    System.out.printf(
        "packaged operator: the next standby took the Lease %d ms after SIGTERM to the leader"
            + " (lease duration %d s)%n",
        handover.toMillis(), LEASE_DURATION.toSeconds());
    assertThat(b.log()).contains("Released the leader Lease");
    // without the handover it waits for the last renewal to be a lease duration old
    assertThat(handover).isLessThan(LEASE_DURATION.minusSeconds(2));
    createFtpServer("third", 30140);
    await().atMost(Duration.ofSeconds(60)).until(() -> hasStatus("third"));
  }

  boolean leaseExpired() {
    Lease lease =
        client
            .resources(Lease.class)
            .inNamespace(TestCluster.OPERATOR_NAMESPACE)
            .withName("ftp-operator-leader")
            .get();
    return lease.getSpec().getRenewTime() == null
        || lease
            .getSpec()
            .getRenewTime()
            .toInstant()
            .plusSeconds(lease.getSpec().getLeaseDurationSeconds())
            .isBefore(java.time.Instant.now());
  }
}

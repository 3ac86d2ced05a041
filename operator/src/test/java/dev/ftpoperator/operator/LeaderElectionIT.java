package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two operators against one real API server, each under the RBAC of operator/rbac (so the Lease
 * rules there are proven enough), with the leader election the Quarkus app builds from {@code
 * ftp.operator.leader-election.*}: only the Lease holder reconciles; when it stops, it hands the
 * Lease over and the standby takes it at its next retry, long before the Lease would expire, and
 * reconciles what exists and what comes. A leader that loses its Lease while running says so and
 * leaves the Lease to its new holder.
 */
class LeaderElectionIT {

  static final Duration LEASE_DURATION = Duration.ofSeconds(6);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(1);

  final KubernetesClient client = TestCluster.client();
  final String namespace = TestCluster.newNamespace("leader");
  final ReconcileCounter countedA = new ReconcileCounter();
  final ReconcileCounter countedB = new ReconcileCounter();
  final Map<String, LeaseHandover> handovers = new ConcurrentHashMap<>();
  final Set<String> lostLease = ConcurrentHashMap.newKeySet();
  Operator a;
  Operator b;

  @AfterEach
  void stop() {
    handovers.values().forEach(LeaseHandover::operatorStopping);
    for (Operator o : new Operator[] {a, b}) {
      if (o != null) {
        o.stop();
      }
    }
    // the next test starts without a holder
    client
        .resources(Lease.class)
        .inNamespace(TestCluster.OPERATOR_NAMESPACE)
        .withName(settings().leaseName())
        .delete();
  }

  /** As the Quarkus app reads it, with short durations so the test is quick. */
  static FtpOperatorConfig.LeaderElection settings() {
    return FtpServers.config(
            Map.of(
                "ftp.operator.leader-election.enabled",
                "true",
                "ftp.operator.leader-election.lease-namespace",
                TestCluster.OPERATOR_NAMESPACE,
                "ftp.operator.leader-election.lease-duration",
                LEASE_DURATION.toString(),
                "ftp.operator.leader-election.renew-deadline",
                "4s",
                "ftp.operator.leader-election.retry-period",
                RETRY_PERIOD.toString()))
        .leaderElection();
  }

  Operator start(String identity, ReconcileCounter counter) {
    KubernetesClient operatorClient = TestCluster.operatorClient();
    LeaseHandover handover =
        LeaderLease.handover(settings(), operatorClient, identity, () -> lostLease.add(identity));
    handovers.put(identity, handover);
    LeaderElectionConfiguration election =
        LeaderLease.configuration(settings(), identity, handover).orElseThrow();
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(operatorClient)
                    .withCloseClientOnStop(true)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(2))
                    .withLeaderElectionConfiguration(election)
                    .withMetrics(counter));
    operator.register(
        new FtpServerReconciler(FtpServers.SETTINGS, new SimpleMeterRegistry()),
        o -> o.settingNamespace(namespace));
    operator.start();
    return operator;
  }

  Optional<String> holder() {
    return Optional.ofNullable(lease())
        .map(l -> l.getSpec().getHolderIdentity())
        .filter(h -> !h.isEmpty());
  }

  void createFtpServer(String name, int firstPassivePort) {
    FtpServer ftp = new FtpServer();
    ftp.getMetadata().setName(name);
    ftp.getMetadata().setNamespace(namespace);
    FtpServerSpec spec = new FtpServerSpec();
    // nothing answers at the test addresses, and tests send traffic only to loopback
    spec.setSelfTest(new SelfTestSpec(false, 60));
    spec.setUsers(new UsersSpec(name + "-users"));
    spec.setPassivePorts(new PassivePorts(firstPassivePort, firstPassivePort + 4));
    ftp.setSpec(spec);
    client.resource(ftp).create();
  }

  boolean serviceExists(String name) {
    return client.resources(Service.class).inNamespace(namespace).withName(name).get() != null;
  }

  Lease lease() {
    return client
        .resources(Lease.class)
        .inNamespace(TestCluster.OPERATOR_NAMESPACE)
        .withName(settings().leaseName())
        .get();
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndItHandsTheLeaseOverToTheStandbyWhenItStops() {
    a = start("operator-a", countedA);
    await().atMost(Duration.ofSeconds(30)).until(() -> holder().equals(Optional.of("operator-a")));
    b = start("operator-b", countedB);

    createFtpServer("first", 30100);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> countedA.finished(namespace, "first") > 0 && serviceExists("first"));
    // the standby has its informers running and saw the same events: it must not have acted
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> countedB.started() == 0 && holder().equals(Optional.of("operator-a")));

    // as the app's shutdown observer does before Quarkus Operator SDK stops the operator
    long stopped = System.nanoTime();
    handovers.get("operator-a").operatorStopping();
    a.stop();
    a = null;
    // released as the stop ended: without the handover the Lease names operator-a until it expires
    assertThat(holder()).isNotEqualTo(Optional.of("operator-a"));
    await()
        .atMost(LEASE_DURATION.plusSeconds(6))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> holder().equals(Optional.of("operator-b")));
    Duration failover = Duration.ofNanos(System.nanoTime() - stopped);
    System.out.printf(
        "leader election: standby took the Lease %d ms after the leader stopped%n",
        failover.toMillis());
    // without the handover the standby waits until the last renewal (at most one retry period
    // before the stop began) is a lease duration old; with it, one jittered retry (up to 2.2)
    assertThat(failover).isLessThan(LEASE_DURATION.minus(RETRY_PERIOD).minusMillis(500));
    assertThat(lostLease).isEmpty();

    createFtpServer("second", 30110);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                countedB.finished(namespace, "second") > 0
                    && countedB.finished(namespace, "first") > 0
                    && serviceExists("second"));
  }

  @Test
  void aLeaderThatLosesTheLeaseWhileRunningReportsItAndLeavesTheLeaseToTheNewHolder() {
    a = start("operator-a", countedA);
    await().atMost(Duration.ofSeconds(30)).until(() -> holder().equals(Optional.of("operator-a")));

    // another candidate takes the Lease over the leader's head (as after a long pause of the
    // leader's process, when its Lease expired and was taken)
    Lease taken = lease();
    taken.getSpec().setHolderIdentity("intruder");
    taken.getSpec().setLeaseDurationSeconds(600);
    taken.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
    client.resource(taken).update();

    await().atMost(Duration.ofSeconds(10)).until(() -> lostLease.contains("operator-a"));
    handovers.get("operator-a").operatorStopping();
    a.stop();
    a = null;
    assertThat(holder()).contains("intruder");
  }
}

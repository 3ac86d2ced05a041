package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.api.v1alpha1.PodSelfTestStatus;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import dev.ftpoperator.operator.PublicAddressResolver.Source;
import dev.ftpoperator.operator.StatusComputer.Observed;
import dev.ftpoperator.operator.selftest.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusComputerTest {

  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");
  static final PublicAddress LB =
      new PublicAddress("203.0.113.7", Source.LOAD_BALANCER_IP, 21, null, true);

  static Condition condition(FtpServerStatus status, String type) {
    return StatusComputer.condition(status, type).orElseThrow();
  }

  static Deployment deployment(FtpServer ftp, int ready) {
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(ftp, LB));
    d.setStatus(
        new DeploymentStatusBuilder()
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .build());
    return d;
  }

  @Test
  void waitingForTheLoadBalancerIsNotReadyAndSaysWhy() {
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus status =
        StatusComputer.compute(FtpServers.view(ftp), new Observed(Optional.empty(), List.of(), T0));
    assertThat(condition(status, "AddressAssigned").getStatus()).isEqualTo("False");
    assertThat(condition(status, "AddressAssigned").getReason())
        .isEqualTo("WaitingForLoadBalancer");
    assertThat(condition(status, "Available").getReason()).isEqualTo("WaitingForAddress");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("WaitingForLoadBalancer");
    assertThat(status.getEndpoint()).isNull();
    assertThat(status.getPassivePorts()).isEqualTo("30000-30019");
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getReadyReplicas()).isZero();
  }

  /** A self-test that passed at {@code at}. */
  static SelfTestScheduler.Observation verified(Instant at) {
    ProbeResult ok = new ProbeResult(Optional.empty(), "Logged in and listed", 42, List.of(), at);
    return new SelfTestScheduler.Observation(Optional.of(ok), Optional.of(ok), 0);
  }

  static Observed serving(FtpServer ftp, Instant now) {
    return new Observed(Optional.of(deployment(ftp, 1)), List.of(), now, verified(now));
  }

  @Test
  void readyWhenAddressKnownAPodIsAvailableAndATransferWasVerified() {
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus status = StatusComputer.compute(FtpServers.view(ftp, LB), serving(ftp, T0));
    assertThat(status.getConditions()).extracting(Condition::getStatus).containsOnly("True");
    assertThat(condition(status, "AddressAssigned").getReason()).isEqualTo("LoadBalancerAddress");
    assertThat(status.getEndpoint()).isEqualTo("ftp://203.0.113.7:21");
    assertThat(status.getPublicAddress()).isEqualTo("203.0.113.7");
    assertThat(status.getReadyReplicas()).isEqualTo(1);
  }

  @Test
  void lastTransitionTimeStaysWhenNothingChangesAndTheStatusIsEqual() {
    FtpServer ftp = FtpServers.partners();
    Observed first = serving(ftp, T0);
    ftp.setStatus(StatusComputer.compute(FtpServers.view(ftp, LB), first));
    Observed later =
        new Observed(first.deployment(), List.of(), T0.plus(Duration.ofHours(1)), first.selfTest());
    FtpServerStatus again = StatusComputer.compute(FtpServers.view(ftp, LB), later);
    assertThat(again).isEqualTo(ftp.getStatus());
    assertThat(condition(again, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T20:00:00Z");
  }

  @Test
  void lastTransitionTimeMovesWhenTheStatusFlips() {
    FtpServer ftp = FtpServers.partners();
    ftp.setStatus(
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(Optional.of(deployment(ftp, 1)), List.of(), T0)));
    FtpServerStatus down =
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(Optional.of(deployment(ftp, 0)), List.of(), T0.plusSeconds(60)));
    assertThat(condition(down, "Available").getStatus()).isEqualTo("False");
    assertThat(condition(down, "Available").getLastTransitionTime())
        .isEqualTo("2026-11-25T20:01:00Z");
    assertThat(condition(down, "AddressAssigned").getLastTransitionTime())
        .isEqualTo("2026-11-25T20:00:00Z");
  }

  @Test
  void aMissingSecretMakesReadyFalseWithItsReason() {
    FtpServer ftp = FtpServers.partners();
    Problem missing = new Problem(Reason.UsersSecretNotFound, "Secret partners-users not found");
    FtpServerStatus status =
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(Optional.of(deployment(ftp, 0)), List.of(missing), T0));
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("UsersSecretNotFound");
    assertThat(condition(status, "Ready").getMessage()).contains("partners-users");
    assertThat(condition(status, "AddressAssigned").getStatus()).isEqualTo("True");
  }

  @Test
  void aFailedReconcileTurnsOnlyReadyFalseAndKeepsWhatWasKnown() {
    FtpServer ftp = FtpServers.partners();
    ftp.setStatus(StatusComputer.compute(FtpServers.view(ftp, LB), serving(ftp, T0)));
    FtpServerStatus failed =
        StatusComputer.failed(
            ftp, Reason.ReconcileFailed, "port 30001 is already allocated", T0.plusSeconds(60));
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("ReconcileFailed");
    assertThat(condition(failed, "Ready").getLastTransitionTime())
        .isEqualTo("2026-11-25T20:01:00Z");
    assertThat(condition(failed, "AddressAssigned"))
        .isEqualTo(condition(ftp.getStatus(), "AddressAssigned"));
    assertThat(failed.getEndpoint()).isEqualTo("ftp://203.0.113.7:21");
    assertThat(failed.getReadyReplicas()).isEqualTo(1);

    ftp.setStatus(failed);
    FtpServerStatus again =
        StatusComputer.failed(ftp, Reason.ReconcileFailed, "another message", T0.plusSeconds(120));
    assertThat(condition(again, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T20:01:00Z");
  }

  static SelfTestScheduler.Observation failing(
      ProbeResult.Failure failure, String message, int failures, Optional<ProbeResult> lastOk) {
    ProbeResult failed = new ProbeResult(Optional.of(failure), message, 3000, List.of(), T0);
    return new SelfTestScheduler.Observation(Optional.of(failed), lastOk, failures);
  }

  @Test
  void readyWaitsForTheFirstVerifiedTransfer() {
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus pending =
        StatusComputer.compute(
            FtpServers.view(ftp, LB), new Observed(Optional.of(deployment(ftp, 1)), List.of(), T0));
    assertThat(condition(pending, "TransferVerified").getStatus()).isEqualTo("False");
    assertThat(condition(pending, "TransferVerified").getReason()).isEqualTo("SelfTestPending");
    assertThat(condition(pending, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(pending, "Ready").getMessage())
        .startsWith("Waiting for the first verified transfer");

    FtpServerStatus broken =
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(
                Optional.of(deployment(ftp, 1)),
                List.of(),
                T0,
                failing(
                    ProbeResult.Failure.PASSIVE_ADDRESS,
                    "PASV named 10.244.0.7 (a private address, e.g. a pod's)",
                    1,
                    Optional.empty())));
    assertThat(condition(broken, "TransferVerified").getReason()).isEqualTo("PassiveAddressWrong");
    assertThat(condition(broken, "Ready").getReason()).isEqualTo("PassiveAddressWrong");
    assertThat(condition(broken, "Ready").getMessage()).contains("PASV named 10.244.0.7");
  }

  @Test
  void afterAVerifiedTransferReadyTurnsFalseOnlyAfterThreeFailuresInARow() {
    FtpServer ftp = FtpServers.partners();
    ProbeResult ok = new ProbeResult(Optional.empty(), "listed", 42, List.of(), T0);
    for (int failures = 1; failures <= 4; failures++) {
      FtpServerStatus status =
          StatusComputer.compute(
              FtpServers.view(ftp, LB),
              new Observed(
                  Optional.of(deployment(ftp, 1)),
                  List.of(),
                  T0.plusSeconds(60L * failures),
                  failing(
                      ProbeResult.Failure.DATA_PORT,
                      "data port 30004 at 203.0.113.7 (EPSV): timed out",
                      failures,
                      Optional.of(ok))));
      assertThat(condition(status, "TransferVerified").getStatus()).isEqualTo("False");
      assertThat(condition(status, "TransferVerified").getReason())
          .isEqualTo("DataPortUnreachable");
      assertThat(condition(status, "Ready").getStatus())
          .as("%d failures", failures)
          .isEqualTo(failures < 3 ? "True" : "False");
      // counted up to the number that turns Ready False: more failures write nothing new
      assertThat(status.getSelfTest().getConsecutiveFailures()).isEqualTo(Math.min(failures, 3));
      assertThat(status.getSelfTest().getLastSuccessTime()).isEqualTo("2026-11-25T20:00:00Z");
      assertThat(status.getSelfTest().getRoundTripMillis()).isEqualTo(42L);
    }
  }

  @Test
  void aNewSuccessIsShownOnlyOnceTheShownOneIsTenMinutesOldSoHealthyServersCostFewWrites() {
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus first = StatusComputer.compute(FtpServers.view(ftp, LB), serving(ftp, T0));
    assertThat(first.getSelfTest().getLastSuccessTime()).isEqualTo("2026-11-25T20:00:00Z");
    ftp.setStatus(first);

    FtpServerStatus minuteLater =
        StatusComputer.compute(FtpServers.view(ftp, LB), serving(ftp, T0.plusSeconds(60)));
    assertThat(minuteLater).isEqualTo(first);

    FtpServerStatus tenMinutesLater =
        StatusComputer.compute(FtpServers.view(ftp, LB), serving(ftp, T0.plusSeconds(600)));
    assertThat(tenMinutesLater.getSelfTest().getLastSuccessTime())
        .isEqualTo("2026-11-25T20:10:00Z");
  }

  @Test
  void everyProbeFailureHasItsOwnReasonAndNoHairpinDoesNotBlockReady() {
    assertThat(
            Arrays.stream(ProbeResult.Failure.values())
                .map(StatusComputer::reasonOf)
                .distinct()
                .count())
        .isEqualTo(ProbeResult.Failure.values().length);
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus status =
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(
                Optional.of(deployment(ftp, 1)),
                List.of(),
                T0,
                failing(
                    ProbeResult.Failure.UNREACHABLE_FROM_CLUSTER,
                    "no hairpin",
                    1,
                    Optional.empty())));
    assertThat(condition(status, "TransferVerified").getStatus()).isEqualTo("Unknown");
    assertThat(condition(status, "TransferVerified").getReason())
        .isEqualTo("UnreachableFromCluster");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void anUnreachablePassiveAddressPointsAtTheSpecField() {
    FtpServer ftp = FtpServers.partners();
    ftp.getSpec().setPassiveAddress("198.51.100.9");
    PublicAddress set = new PublicAddress("198.51.100.9", Source.PASSIVE_ADDRESS, 21, null, true);
    FtpServerStatus status =
        StatusComputer.compute(
            FtpServers.view(ftp, set),
            new Observed(
                Optional.of(deployment(ftp, 1)),
                List.of(),
                T0,
                failing(
                    ProbeResult.Failure.UNREACHABLE_FROM_CLUSTER,
                    "198.51.100.9:21: timed out, while the Service's ClusterIP answers",
                    1,
                    Optional.empty())));
    assertThat(condition(status, "TransferVerified").getMessage())
        .contains("spec.passiveAddress 198.51.100.9");
  }

  @Test
  void withTheSelfTestOffReadyIsAsWithoutIt() {
    FtpServer ftp = FtpServers.partners();
    ftp.getSpec().setSelfTest(new SelfTestSpec(false, 60));
    FtpServerStatus status =
        StatusComputer.compute(
            FtpServers.view(ftp, LB), new Observed(Optional.of(deployment(ftp, 1)), List.of(), T0));
    assertThat(condition(status, "TransferVerified").getStatus()).isEqualTo("Unknown");
    assertThat(condition(status, "TransferVerified").getReason()).isEqualTo("SelfTestDisabled");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(status.getSelfTest()).isNull();
  }

  @Test
  void anOperatorRestartKeepsTheVerdictUntilTheNextProbe() {
    FtpServer ftp = FtpServers.partners();
    ftp.setStatus(StatusComputer.compute(FtpServers.view(ftp, LB), serving(ftp, T0)));
    FtpServerStatus afterRestart =
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(Optional.of(deployment(ftp, 1)), List.of(), T0.plusSeconds(30)));
    assertThat(afterRestart).isEqualTo(ftp.getStatus());
    assertThat(condition(afterRestart, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void warnsWhenTheRangeExceedsAnAwsNlbListenerCap() {
    FtpServer ftp = FtpServers.partners();
    assertThat(StatusComputer.warnings(FtpServers.view(ftp))).isEmpty();
    ftp.getSpec().getPassivePorts().setMax(30049);
    assertThat(StatusComputer.warnings(FtpServers.view(ftp)))
        .singleElement()
        .asString()
        .contains("51 ports", "AWS");
  }

  static io.fabric8.kubernetes.api.model.Pod pod(String name, boolean ready) {
    return new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void aReplicatedServerShowsEachPodsSliceAndReadinessAndTheScaleFields() {
    FtpServer ftp = FtpServers.replicated(FtpServers.partners(), 3);
    // Ready from the pods alone, as without the self-test
    ftp.getSpec().setSelfTest(new SelfTestSpec(false, 60));
    ResolvedFtpServer view = FtpServers.replicatedView(ftp, LB);
    io.fabric8.kubernetes.api.model.apps.StatefulSet set = statefulSet(view, 3, 2);
    FtpServerStatus status =
        StatusComputer.compute(
            view,
            new Observed(
                Optional.empty(),
                Optional.of(set),
                List.of(pod("partners-0", true), pod("partners-2", true), pod("partners-1", false)),
                List.of(),
                T0,
                SelfTestScheduler.Observation.NONE));
    assertThat(status.getReplicas()).isEqualTo(3);
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getSelector())
        .isEqualTo("app.kubernetes.io/name=ftp-server,app.kubernetes.io/instance=partners");
    assertThat(status.getPods())
        .extracting(
            dev.ftpoperator.api.v1alpha1.ReplicaStatus::getName,
            dev.ftpoperator.api.v1alpha1.ReplicaStatus::getOrdinal,
            dev.ftpoperator.api.v1alpha1.ReplicaStatus::getPassivePorts,
            dev.ftpoperator.api.v1alpha1.ReplicaStatus::getReady)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("partners-0", 0, "30000-30005", true),
            org.assertj.core.groups.Tuple.tuple("partners-1", 1, "30006-30012", false),
            org.assertj.core.groups.Tuple.tuple("partners-2", 2, "30013-30019", true));
    assertThat(condition(status, "Available").getMessage()).isEqualTo("2 of 3 server pods ready");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aReplicatedServerWaitsForItsStatefulSetAndListsNoPodsWithOneReplica() {
    FtpServer ftp = FtpServers.replicated(FtpServers.partners(), 3);
    FtpServerStatus waiting =
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(
                Optional.empty(),
                Optional.empty(),
                List.of(),
                List.of(),
                T0,
                SelfTestScheduler.Observation.NONE));
    assertThat(condition(waiting, "Available").getMessage()).contains("StatefulSet");
    assertThat(waiting.getPods()).extracting(p -> p.getReady()).containsOnly(false);
    FtpServerStatus single =
        StatusComputer.compute(
            FtpServers.view(FtpServers.partners(), LB),
            new Observed(Optional.of(deployment(FtpServers.partners(), 1)), List.of(), T0));
    assertThat(single.getPods()).isNull();
    assertThat(single.getReplicas()).isZero();
  }

  /** The server StatefulSet of {@code view} with {@code ready} of {@code replicas} pods ready. */
  static io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(
      ResolvedFtpServer view, int replicas, int ready) {
    io.fabric8.kubernetes.api.model.apps.StatefulSet set = ServerStatefulSetDependent.desired(view);
    set.setStatus(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
            .withReplicas(replicas)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .build());
    return set;
  }

  /** A probe answered by {@code pod} at {@code at}, failed with {@code failure} when given. */
  static ProbeResult answeredBy(String pod, Instant at, Optional<ProbeResult.Failure> failure) {
    return new ProbeResult(failure, "probe", 40, List.of(), at, Optional.of(pod));
  }

  @Test
  void eachReplicaThatAnsweredAProbeHasItsVerdictAndItsSuccessTimeMovesOnlyWithTheServers() {
    FtpServer ftp = FtpServers.replicated(FtpServers.partners(), 3);
    io.fabric8.kubernetes.api.model.apps.StatefulSet set =
        statefulSet(FtpServers.replicatedView(ftp, LB), 3, 3);
    ProbeResult zero = answeredBy("partners-0", T0, Optional.empty());
    ProbeResult two = answeredBy("partners-2", T0.plusSeconds(60), Optional.empty());
    java.util.function.BiFunction<Instant, SelfTestScheduler.Observation, FtpServerStatus> at =
        (now, observation) ->
            StatusComputer.compute(
                FtpServers.replicatedView(ftp, LB),
                new Observed(
                    Optional.empty(), Optional.of(set), List.of(), List.of(), now, observation));

    FtpServerStatus first =
        at.apply(
            T0.plusSeconds(60),
            new SelfTestScheduler.Observation(
                Optional.of(two),
                Optional.of(two),
                0,
                Map.of(
                    "partners-0", new SelfTestScheduler.PodObservation(zero, Optional.of(zero)),
                    "partners-2", new SelfTestScheduler.PodObservation(two, Optional.of(two)))));
    assertThat(first.getSelfTest().getPods())
        .extracting(
            PodSelfTestStatus::getName,
            PodSelfTestStatus::getLastResult,
            PodSelfTestStatus::getLastSuccessTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "partners-0", "TransferVerified", "2026-11-25T20:00:00Z"),
            org.assertj.core.groups.Tuple.tuple(
                "partners-2", "TransferVerified", "2026-11-25T20:01:00Z"));
    ftp.setStatus(first);

    // later successes of the same pods write nothing until the server's time is refreshed
    ProbeResult zeroAgain = answeredBy("partners-0", T0.plusSeconds(120), Optional.empty());
    FtpServerStatus minuteLater =
        at.apply(
            T0.plusSeconds(120),
            new SelfTestScheduler.Observation(
                Optional.of(zeroAgain),
                Optional.of(zeroAgain),
                0,
                Map.of(
                    "partners-0",
                        new SelfTestScheduler.PodObservation(zeroAgain, Optional.of(zeroAgain)),
                    "partners-2", new SelfTestScheduler.PodObservation(two, Optional.of(two)))));
    assertThat(minuteLater).isEqualTo(first);

    // a pod's failure is its own verdict; after an operator restart (nothing observed) the shown
    // pods stay
    ProbeResult oneFailed =
        answeredBy("partners-1", T0.plusSeconds(180), Optional.of(ProbeResult.Failure.LISTING));
    FtpServerStatus failed =
        at.apply(
            T0.plusSeconds(180),
            new SelfTestScheduler.Observation(
                Optional.of(oneFailed),
                Optional.of(zeroAgain),
                1,
                Map.of(
                    "partners-1",
                    new SelfTestScheduler.PodObservation(oneFailed, Optional.empty()))));
    assertThat(failed.getSelfTest().getPods())
        .extracting(PodSelfTestStatus::getName, PodSelfTestStatus::getLastResult)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("partners-0", "TransferVerified"),
            org.assertj.core.groups.Tuple.tuple("partners-1", "ListingFailed"),
            org.assertj.core.groups.Tuple.tuple("partners-2", "TransferVerified"));
    ftp.setStatus(failed);
    FtpServerStatus restarted = at.apply(T0.plusSeconds(200), SelfTestScheduler.Observation.NONE);
    assertThat(restarted.getSelfTest().getPods()).isEqualTo(failed.getSelfTest().getPods());

    // ten minutes after the shown time, the server's success time and every pod's move on together
    ProbeResult later = answeredBy("partners-2", T0.plusSeconds(660), Optional.empty());
    FtpServerStatus refreshed =
        at.apply(
            T0.plusSeconds(660),
            new SelfTestScheduler.Observation(
                Optional.of(later),
                Optional.of(later),
                0,
                Map.of(
                    "partners-0",
                        new SelfTestScheduler.PodObservation(zeroAgain, Optional.of(zeroAgain)),
                    "partners-2",
                        new SelfTestScheduler.PodObservation(later, Optional.of(later)))));
    assertThat(refreshed.getSelfTest().getLastSuccessTime()).isEqualTo("2026-11-25T20:11:00Z");
    assertThat(refreshed.getSelfTest().getPods())
        .extracting(PodSelfTestStatus::getName, PodSelfTestStatus::getLastSuccessTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("partners-0", "2026-11-25T20:02:00Z"),
            org.assertj.core.groups.Tuple.tuple("partners-1", null),
            org.assertj.core.groups.Tuple.tuple("partners-2", "2026-11-25T20:11:00Z"));
  }
}

package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import dev.ftpoperator.operator.PublicAddressResolver.Source;
import dev.ftpoperator.operator.StatusComputer.Observed;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

  @Test
  void readyWhenAddressKnownAndAPodIsAvailable() {
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus status =
        StatusComputer.compute(
            FtpServers.view(ftp, LB), new Observed(Optional.of(deployment(ftp, 1)), List.of(), T0));
    assertThat(status.getConditions()).extracting(Condition::getStatus).containsOnly("True");
    assertThat(condition(status, "AddressAssigned").getReason()).isEqualTo("LoadBalancerAddress");
    assertThat(status.getEndpoint()).isEqualTo("ftp://203.0.113.7:21");
    assertThat(status.getPublicAddress()).isEqualTo("203.0.113.7");
    assertThat(status.getReadyReplicas()).isEqualTo(1);
  }

  @Test
  void lastTransitionTimeStaysWhenNothingChangesAndTheStatusIsEqual() {
    FtpServer ftp = FtpServers.partners();
    Observed first = new Observed(Optional.of(deployment(ftp, 1)), List.of(), T0);
    ftp.setStatus(StatusComputer.compute(FtpServers.view(ftp, LB), first));
    Observed later = new Observed(first.deployment(), List.of(), T0.plus(Duration.ofHours(1)));
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
    ftp.setStatus(
        StatusComputer.compute(
            FtpServers.view(ftp, LB),
            new Observed(Optional.of(deployment(ftp, 1)), List.of(), T0)));
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
    ResolvedFtpServer view = FtpServers.replicatedView(ftp, LB);
    io.fabric8.kubernetes.api.model.apps.StatefulSet set = ServerStatefulSetDependent.desired(view);
    set.setStatus(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
            .withReplicas(3)
            .withReadyReplicas(2)
            .withAvailableReplicas(2)
            .build());
    FtpServerStatus status =
        StatusComputer.compute(
            view,
            new Observed(
                Optional.empty(),
                Optional.of(set),
                List.of(pod("partners-0", true), pod("partners-2", true), pod("partners-1", false)),
                List.of(),
                T0));
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
            new Observed(Optional.empty(), Optional.empty(), List.of(), List.of(), T0));
    assertThat(condition(waiting, "Available").getMessage()).contains("StatefulSet");
    assertThat(waiting.getPods()).extracting(p -> p.getReady()).containsOnly(false);
    FtpServerStatus single =
        StatusComputer.compute(
            FtpServers.view(FtpServers.partners(), LB),
            new Observed(Optional.of(deployment(FtpServers.partners(), 1)), List.of(), T0));
    assertThat(single.getPods()).isNull();
    assertThat(single.getReplicas()).isZero();
  }
}

package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderLeaseTest {

  static FtpOperatorConfig.LeaderElection read(Map<String, String> properties) {
    return FtpServers.config(properties).leaderElection();
  }

  @Test
  void offByDefaultSoALocalRunOrTestReconcilesAtOnce() {
    assertThat(LeaderLease.configuration(read(Map.of()), Optional.empty(), true)).isEmpty();
  }

  @Test
  void onItCompetesForTheNamedLeaseWithJavaOperatorSdksDefaultTimings() {
    LeaderElectionConfiguration c =
        LeaderLease.configuration(
                read(Map.of("ftp.operator.leader-election.enabled", "true")),
                Optional.empty(),
                true)
            .orElseThrow();
    assertThat(c.getLeaseName()).isEqualTo("ftp-operator-leader");
    // unset: java-operator-sdk takes the namespace of the pod's service-account mount
    assertThat(c.getLeaseNamespace()).isEmpty();
    assertThat(c.getIdentity()).isEmpty();
    assertThat(c.getLeaseDuration())
        .isEqualTo(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE);
    assertThat(c.getRenewDeadline())
        .isEqualTo(LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE);
    assertThat(c.getRetryPeriod())
        .isEqualTo(LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);
    assertThat(c.isExitOnStopLeading()).isTrue();
  }

  @Test
  void theChartsEnvironmentNamesLeaseNamespaceAndTimings() {
    LeaderElectionConfiguration c =
        LeaderLease.configuration(
                read(
                    Map.of(
                        "ftp.operator.leader-election.enabled", "true",
                        "ftp.operator.leader-election.lease-name", "ops-ftp-operator-leader",
                        "ftp.operator.leader-election.lease-namespace", "ops",
                        "ftp.operator.leader-election.lease-duration", "20s",
                        "ftp.operator.leader-election.renew-deadline", "15s",
                        "ftp.operator.leader-election.retry-period", "3s")),
                Optional.of("operator-0"),
                false)
            .orElseThrow();
    assertThat(c.getLeaseName()).isEqualTo("ops-ftp-operator-leader");
    assertThat(c.getLeaseNamespace()).contains("ops");
    assertThat(c.getIdentity()).contains("operator-0");
    assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.isExitOnStopLeading()).isFalse();
  }
}

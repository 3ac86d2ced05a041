package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderLeaseTest {

  static FtpOperatorConfig.LeaderElection read(Map<String, String> properties) {
    return FtpServers.config(properties).leaderElection();
  }

  /** Never contacted: these tests only build configurations. */
  final KubernetesClient client =
      new KubernetesClientBuilder()
          .withConfig(
              new ConfigBuilder()
                  .withMasterUrl("https://127.0.0.1:1")
                  .withNamespace("ops-default")
                  .build())
          .build();

  @AfterEach
  void close() {
    client.close();
  }

  Optional<LeaderElectionConfiguration> configuration(
      FtpOperatorConfig.LeaderElection config, String identity) {
    return LeaderLease.configuration(
        config, identity, LeaderLease.handover(config, client, identity, () -> {}));
  }

  @Test
  void offByDefaultSoALocalRunOrTestReconcilesAtOnce() {
    assertThat(configuration(read(Map.of()), "operator-0")).isEmpty();
  }

  @Test
  void onItCompetesForTheNamedLeaseWithJavaOperatorSdksDefaultTimings() {
    LeaderElectionConfiguration c =
        configuration(read(Map.of("ftp.operator.leader-election.enabled", "true")), "operator-0")
            .orElseThrow();
    assertThat(c.getLeaseName()).isEqualTo("ftp-operator-leader");
    // unset: java-operator-sdk takes the namespace of the pod's service-account mount
    assertThat(c.getLeaseNamespace()).isEmpty();
    assertThat(c.getIdentity()).contains("operator-0");
    assertThat(c.getLeaseDuration())
        .isEqualTo(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE);
    assertThat(c.getRenewDeadline())
        .isEqualTo(LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE);
    assertThat(c.getRetryPeriod())
        .isEqualTo(LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);
    // a lost Lease exits through LeaseHandover, never through java-operator-sdk (see there)
    assertThat(c.isExitOnStopLeading()).isFalse();
    assertThat(c.getLeaderCallbacks()).isPresent();
  }

  @Test
  void theChartsEnvironmentNamesLeaseNamespaceAndTimings() {
    LeaderElectionConfiguration c =
        configuration(
                read(
                    Map.of(
                        "ftp.operator.leader-election.enabled", "true",
                        "ftp.operator.leader-election.lease-name", "ops-ftp-operator-leader",
                        "ftp.operator.leader-election.lease-namespace", "ops",
                        "ftp.operator.leader-election.lease-duration", "20s",
                        "ftp.operator.leader-election.renew-deadline", "15s",
                        "ftp.operator.leader-election.retry-period", "3s")),
                "operator-1")
            .orElseThrow();
    assertThat(c.getLeaseName()).isEqualTo("ops-ftp-operator-leader");
    assertThat(c.getLeaseNamespace()).contains("ops");
    assertThat(c.getIdentity()).contains("operator-1");
    assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theIdentityIsThePodNameOrRandomOutsideAPod() {
    assertThat(LeaderLease.identity(Optional.of("ftp-operator-7d9f-abcde")))
        .isEqualTo("ftp-operator-7d9f-abcde");
    String random = LeaderLease.identity(Optional.empty());
    assertThat(random).isNotBlank().isNotEqualTo(LeaderLease.identity(Optional.of(" ")));
  }
}

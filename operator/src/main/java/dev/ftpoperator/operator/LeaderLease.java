package dev.ftpoperator.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The Lease-based leader election java-operator-sdk runs when {@code
 * ftp.operator.leader-election.enabled} is true: every replica starts its informers, only the Lease
 * holder processes events. Quarkus Operator SDK takes the {@link LeaderElectionConfiguration} bean
 * in the profiles {@code quarkus.operator-sdk.activate-leader-election-for-profiles} names (prod by
 * default).
 */
@Singleton
public class LeaderLease {

  /** No bean value (null) when leader election is off: the operator then reconciles at once. */
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(FtpOperatorConfig config) {
    return configuration(config.leaderElection(), Optional.empty(), true).orElse(null);
  }

  /**
   * @param identity the holder name written into the Lease; empty: the pod name ($HOSTNAME)
   * @param exitOnStopLeading a leader that lost its Lease exits, so its pod restarts as a standby
   *     (informers and caches start clean); tests that run several operators in one JVM say false
   */
  static Optional<LeaderElectionConfiguration> configuration(
      FtpOperatorConfig.LeaderElection config,
      Optional<String> identity,
      boolean exitOnStopLeading) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    LeaderElectionConfigurationBuilder builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
            .withLeaseDuration(config.leaseDuration())
            .withRenewDeadline(config.renewDeadline())
            .withRetryPeriod(config.retryPeriod())
            .withExitOnStopLeading(exitOnStopLeading);
    config.leaseNamespace().ifPresent(builder::withLeaseNamespace);
    identity.ifPresent(builder::withIdentity);
    return Optional.of(builder.build());
  }
}

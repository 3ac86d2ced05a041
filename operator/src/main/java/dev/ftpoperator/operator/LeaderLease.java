package dev.ftpoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.Optional;
import java.util.UUID;

/**
 * The Lease-based leader election java-operator-sdk runs when {@code
 * ftp.operator.leader-election.enabled} is true: every replica starts its informers, only the Lease
 * holder processes events. Quarkus Operator SDK takes the {@link LeaderElectionConfiguration} bean
 * in the profiles {@code quarkus.operator-sdk.activate-leader-election-for-profiles} names (prod by
 * default). A leader that shuts down hands the Lease over ({@link LeaseHandover}).
 */
@Singleton
public class LeaderLease {

  private final FtpOperatorConfig.LeaderElection config;
  private final Optional<LeaseHandover> handover;
  private final String identity = identity(Optional.ofNullable(System.getenv("HOSTNAME")));

  @Inject
  LeaderLease(FtpOperatorConfig config, KubernetesClient client) {
    this.config = config.leaderElection();
    this.handover =
        this.config.enabled()
            ? Optional.of(handover(this.config, client, identity, () -> Quarkus.asyncExit(1)))
            : Optional.empty();
  }

  /** No bean value (null) when leader election is off: the operator then reconciles at once. */
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection() {
    return handover.flatMap(h -> configuration(config, identity, h)).orElse(null);
  }

  /**
   * Before Quarkus Operator SDK stops the operator (its shutdown observer has the default
   * priority), so that the end of leading that the stop causes counts as a handover.
   */
  void operatorStopping(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent e) {
    handover.ifPresent(LeaseHandover::operatorStopping);
  }

  /**
   * @param identity the holder name written into the Lease (the pod name in the app)
   */
  static Optional<LeaderElectionConfiguration> configuration(
      FtpOperatorConfig.LeaderElection config, String identity, LeaseHandover handover) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    LeaderElectionConfigurationBuilder builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
            .withLeaseDuration(config.leaseDuration())
            .withRenewDeadline(config.renewDeadline())
            .withRetryPeriod(config.retryPeriod())
            .withIdentity(identity)
            .withLeaderCallbacks(handover.callbacks())
            // the handover exits on a lost Lease itself: see LeaseHandover
            .withExitOnStopLeading(false);
    config.leaseNamespace().ifPresent(builder::withLeaseNamespace);
    return Optional.of(builder.build());
  }

  /**
   * The Lease lives where java-operator-sdk puts it: the configured namespace, else the client's
   * (the pod's service-account namespace).
   */
  static LeaseHandover handover(
      FtpOperatorConfig.LeaderElection config,
      KubernetesClient client,
      String identity,
      Runnable onLostLease) {
    String namespace =
        config.leaseNamespace().orElseGet(() -> client.getConfiguration().getNamespace());
    return new LeaseHandover(client, namespace, config.leaseName(), identity, onLostLease);
  }

  /** The pod name, as java-operator-sdk would take it; a random one outside a pod. */
  static String identity(Optional<String> hostname) {
    return hostname.filter(h -> !h.isBlank()).orElseGet(() -> UUID.randomUUID().toString());
  }
}

package dev.ftpoperator.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Operator-level settings and their defaults (the only place they are written down): set them in
 * application.properties or the environment (FTP_OPERATOR_SERVER_IMAGE,
 * FTP_OPERATOR_DEFAULT_RESOURCES_REQUESTS_CPU, ...). Watched namespaces are Quarkus Operator SDK's
 * own setting: quarkus.operator-sdk.namespaces (env QUARKUS_OPERATOR_SDK_NAMESPACES).
 */
@ConfigMapping(prefix = "ftp.operator")
public interface FtpOperatorConfig {

  /** Image of the FTP server pods when an FtpServer does not name one. */
  @WithDefault("localhost/ftp-operator/ftp-server:0.1.0-SNAPSHOT")
  String serverImage();

  /** Resources of the FTP server container when an FtpServer does not set spec.resources. */
  Resources defaultResources();

  /** The self-test (spec.selfTest switches it per FtpServer and sets its interval). */
  SelfTest selfTest();

  interface SelfTest {
    /** Probes run at once at most (FTP_OPERATOR_SELF_TEST_THREADS); others wait their turn. */
    @WithDefault("4")
    int threads();

    /** Bound of every connect and every wait for a reply or data in a probe. */
    @WithDefault("PT10S")
    Duration timeout();

    /** Failed probes in a row, after a first success, that turn Ready False. */
    @WithDefault("3")
    int failuresBeforeNotReady();

    /** After that many failures the interval doubles per failure, up to this. */
    @WithDefault("PT10M")
    Duration maxBackoff();
  }

  /** Lease-based leader election: several replicas run, one reconciles. */
  LeaderElection leaderElection();

  interface LeaderElection {
    /** Off for local runs and tests (one instance); the chart turns it on. */
    @WithDefault("false")
    boolean enabled();

    /** The coordination.k8s.io Lease the replicas compete for (the RBAC names it). */
    @WithDefault("ftp-operator-leader")
    String leaseName();

    /** Namespace of the Lease; unset: the operator's own namespace (its service-account mount). */
    Optional<String> leaseNamespace();

    /** How long a standby waits after the leader's last renewal before it takes the Lease. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** The leader gives up (and the process exits) when it cannot renew for this long. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates try to acquire, and the leader to renew. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  interface Resources {
    Requests requests();

    Limits limits();
  }

  interface Requests {
    @WithDefault("50m")
    Optional<String> cpu();

    @WithDefault("128Mi")
    Optional<String> memory();
  }

  interface Limits {
    /** No CPU limit by default: throttling a transfer buys nothing. */
    Optional<String> cpu();

    @WithDefault("512Mi")
    Optional<String> memory();
  }
}

package dev.ftpoperator.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the server is configured with, read from FTP_* environment variables (the contract the
 * operator writes). Defaults are chosen for production behind a load balancer, not MINA's own.
 */
public record ServerSettings(
    String bindAddress,
    int controlPort,
    PassivePortRange passivePorts,
    Optional<String> publicAddress,
    boolean requirePublicAddress,
    Duration publicAddressCacheTtl,
    boolean activeEnabled,
    Path usersDir,
    Path dataDir,
    boolean anonymousEnabled,
    Optional<Path> probePasswordFile,
    Path probeHome,
    Optional<String> podName,
    TlsMode tlsMode,
    Path tlsCertFile,
    Path tlsKeyFile,
    boolean tlsSessionReuseRequired,
    List<String> tlsProtocols,
    Duration tlsReloadInterval,
    List<String> tlsServerNames,
    String httpBindAddress,
    int httpPort,
    int maxSessions,
    int maxSessionsPerIp,
    int workerThreads,
    int maxUnknownCommands,
    int commandRate,
    int commandBurst,
    int maxCommandLineBytes,
    int maxQueuedBytes,
    long listingMemoryBytes,
    Duration idleTimeout,
    Duration loginTimeout,
    Duration dataConnectTimeout,
    Duration transferStallTimeout,
    Duration loginFailureDelay,
    int banAfterFailures,
    Duration banFailureWindow,
    Duration banDuration,
    Duration shutdownGrace,
    Optional<ClusterSettings> cluster) {

  public static ServerSettings fromEnvironment() {
    return from(System.getenv());
  }

  public static ServerSettings from(Map<String, String> env) {
    EnvReader in = new EnvReader(env);
    int maxSessions = in.positive(Variable.FTP_MAX_SESSIONS);
    PassivePortRange passivePorts = PassivePortRange.parse(in.text(Variable.FTP_PASSIVE_PORTS));
    int replicas = in.positive(Variable.FTP_CLUSTER_REPLICAS);
    Optional<ClusterSettings> cluster =
        replicas == 1
            ? Optional.empty()
            : Optional.of(
                ClusterSettings.parse(
                    replicas,
                    passivePorts,
                    Variable.FTP_POD_NAME.in(env),
                    Variable.FTP_CLUSTER_ORDINAL.in(env),
                    Variable.FTP_CLUSTER_PEERS.in(env),
                    in.port(Variable.FTP_CLUSTER_RELAY_PORT),
                    Path.of(in.text(Variable.FTP_CLUSTER_SECRET_FILE))));
    return new ServerSettings(
        in.text(Variable.FTP_BIND_ADDRESS),
        in.port(Variable.FTP_CONTROL_PORT),
        passivePorts,
        Variable.FTP_PUBLIC_ADDRESS.in(env),
        in.bool(Variable.FTP_REQUIRE_PUBLIC_ADDRESS),
        in.seconds(Variable.FTP_PUBLIC_ADDRESS_CACHE_SECONDS),
        in.bool(Variable.FTP_ACTIVE_ENABLED),
        Path.of(in.text(Variable.FTP_USERS_DIR)),
        Path.of(in.text(Variable.FTP_DATA_DIR)),
        in.bool(Variable.FTP_ANONYMOUS_ENABLED),
        Variable.FTP_PROBE_PASSWORD_FILE.in(env).map(Path::of),
        probeHome(in.text(Variable.FTP_PROBE_HOME), in.text(Variable.FTP_DATA_DIR)),
        Variable.FTP_POD_NAME.in(env),
        TlsMode.parse(in.text(Variable.FTP_TLS_MODE)),
        Path.of(in.text(Variable.FTP_TLS_CERT_FILE)),
        Path.of(in.text(Variable.FTP_TLS_KEY_FILE)),
        in.bool(Variable.FTP_TLS_SESSION_REUSE_REQUIRED),
        in.tlsProtocols(Variable.FTP_TLS_PROTOCOLS),
        in.seconds(Variable.FTP_TLS_RELOAD_SECONDS),
        in.names(Variable.FTP_TLS_SERVER_NAMES),
        in.text(Variable.FTP_HTTP_BIND_ADDRESS),
        in.port(Variable.FTP_HTTP_PORT),
        maxSessions,
        in.positive(Variable.FTP_MAX_SESSIONS_PER_IP),
        Variable.FTP_WORKER_THREADS.in(env).isPresent()
            ? in.positive(Variable.FTP_WORKER_THREADS)
            : maxSessions + 16,
        in.nonNegative(Variable.FTP_MAX_UNKNOWN_COMMANDS),
        in.positive(Variable.FTP_COMMAND_RATE),
        in.positive(Variable.FTP_COMMAND_BURST),
        in.atLeast(Variable.FTP_MAX_COMMAND_LINE_BYTES, 512),
        in.atLeast(Variable.FTP_MAX_QUEUED_BYTES, 4096),
        Variable.FTP_LISTING_MEMORY_MB.in(env).isPresent()
            ? in.positive(Variable.FTP_LISTING_MEMORY_MB) * 1024L * 1024L
            : Runtime.getRuntime().maxMemory() / 2,
        in.seconds(Variable.FTP_IDLE_TIMEOUT_SECONDS),
        in.seconds(Variable.FTP_LOGIN_TIMEOUT_SECONDS),
        in.seconds(Variable.FTP_DATA_TIMEOUT_SECONDS),
        in.seconds(Variable.FTP_TRANSFER_STALL_TIMEOUT_SECONDS),
        Duration.ofMillis(in.nonNegative(Variable.FTP_LOGIN_FAILURE_DELAY_MS)),
        in.nonNegative(Variable.FTP_BAN_MAX_FAILURES),
        in.seconds(Variable.FTP_BAN_WINDOW_SECONDS),
        in.seconds(Variable.FTP_BAN_SECONDS),
        in.seconds(Variable.FTP_SHUTDOWN_GRACE_SECONDS),
        cluster);
  }

  /**
   * The probe account's home, outside the data root (and the data root outside it), so no user sees
   * it and it sees no user's files.
   */
  private static Path probeHome(String home, String dataDir) {
    Path probe = Path.of(home).toAbsolutePath().normalize();
    Path data = Path.of(dataDir).toAbsolutePath().normalize();
    if (probe.startsWith(data) || data.startsWith(probe)) {
      throw new IllegalArgumentException(
          Variable.FTP_PROBE_HOME
              + " must lie outside "
              + Variable.FTP_DATA_DIR
              + " (and not contain it), got '"
              + home
              + "' and '"
              + dataDir
              + "'");
    }
    return probe;
  }

  public Path anonymousHome() {
    return dataDir.resolve("anonymous");
  }

  /**
   * Reads one typed value per variable, its default from {@link Variable}, naming it in every
   * error.
   */
  private record EnvReader(Map<String, String> env) {

    String text(Variable v) {
      return v.in(env)
          .or(v::defaultValue)
          .orElseThrow(() -> new IllegalArgumentException(v + " must be set"));
    }

    boolean bool(Variable v) {
      String value = text(v);
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "1", "on" -> true;
        case "false", "no", "0", "off" -> false;
        default ->
            throw new IllegalArgumentException(v + " must be true or false, got '" + value + "'");
      };
    }

    int integer(Variable v) {
      String value = text(v);
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(v + " must be a number, got '" + value + "'");
      }
    }

    int nonNegative(Variable v) {
      int value = integer(v);
      if (value < 0) {
        throw new IllegalArgumentException(v + " must not be negative, got " + value);
      }
      return value;
    }

    int positive(Variable v) {
      int value = integer(v);
      if (value < 1) {
        throw new IllegalArgumentException(v + " must be at least 1, got " + value);
      }
      return value;
    }

    /** Sizes below {@code min} would break ordinary clients. */
    int atLeast(Variable v, int min) {
      int value = integer(v);
      if (value < min) {
        throw new IllegalArgumentException(v + " must be at least " + min + ", got " + value);
      }
      return value;
    }

    /** 0 asks the system for a free port (used by tests). */
    int port(Variable v) {
      int value = integer(v);
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException(v + " must be a port 0..65535, got " + value);
      }
      return value;
    }

    /** Only TLS 1.2 and 1.3 may be enabled. */
    List<String> tlsProtocols(Variable v) {
      String value = text(v);
      List<String> protocols =
          Arrays.stream(value.split(","))
              .map(String::trim)
              .filter(p -> !p.isEmpty())
              .distinct()
              .toList();
      if (protocols.isEmpty() || !List.of("TLSv1.2", "TLSv1.3").containsAll(protocols)) {
        throw new IllegalArgumentException(
            v + " must list TLSv1.2 and/or TLSv1.3, got '" + value + "'");
      }
      return protocols;
    }

    /** A comma-separated list of DNS names; empty when unset. */
    List<String> names(Variable v) {
      List<String> names =
          v.in(env).stream()
              .flatMap(value -> Arrays.stream(value.split(",")))
              .map(String::trim)
              .filter(n -> !n.isEmpty())
              .toList();
      for (String name : names) {
        if (!name.matches(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
          throw new IllegalArgumentException(v + " must list DNS names, got '" + name + "'");
        }
      }
      return names;
    }

    Duration seconds(Variable v) {
      return Duration.ofSeconds(nonNegative(v));
    }
  }
}

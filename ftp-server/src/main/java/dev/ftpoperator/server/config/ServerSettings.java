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
    TlsMode tlsMode,
    Path tlsCertFile,
    Path tlsKeyFile,
    boolean tlsSessionReuseRequired,
    List<String> tlsProtocols,
    Duration tlsReloadInterval,
    String httpBindAddress,
    int httpPort,
    int maxSessions,
    int maxSessionsPerIp,
    int workerThreads,
    Duration idleTimeout,
    Duration loginTimeout,
    Duration dataConnectTimeout,
    Duration transferStallTimeout,
    Duration loginFailureDelay,
    int banAfterFailures,
    Duration banFailureWindow,
    Duration banDuration,
    Duration shutdownGrace) {

  public static ServerSettings fromEnvironment() {
    return from(System.getenv());
  }

  public static ServerSettings from(Map<String, String> env) {
    EnvReader in = new EnvReader(env);
    return new ServerSettings(
        in.text("FTP_BIND_ADDRESS", "0.0.0.0"),
        in.port("FTP_CONTROL_PORT", 2121),
        PassivePortRange.parse(in.text("FTP_PASSIVE_PORTS", "30000-30009")),
        in.optional("FTP_PUBLIC_ADDRESS"),
        in.bool("FTP_REQUIRE_PUBLIC_ADDRESS", false),
        in.seconds("FTP_PUBLIC_ADDRESS_CACHE_SECONDS", 30),
        in.bool("FTP_ACTIVE_ENABLED", true),
        Path.of(in.text("FTP_USERS_DIR", "/etc/ftp/users")),
        Path.of(in.text("FTP_DATA_DIR", "/data")),
        in.bool("FTP_ANONYMOUS_ENABLED", false),
        TlsMode.parse(in.text("FTP_TLS_MODE", "none")),
        Path.of(in.text("FTP_TLS_CERT_FILE", "/etc/ftp/tls/tls.crt")),
        Path.of(in.text("FTP_TLS_KEY_FILE", "/etc/ftp/tls/tls.key")),
        in.bool("FTP_TLS_SESSION_REUSE_REQUIRED", true),
        in.tlsProtocols("FTP_TLS_PROTOCOLS", "TLSv1.2"),
        in.seconds("FTP_TLS_RELOAD_SECONDS", 10),
        in.text("FTP_HTTP_BIND_ADDRESS", "0.0.0.0"),
        in.port("FTP_HTTP_PORT", 8080),
        in.positive("FTP_MAX_SESSIONS", 500),
        in.positive("FTP_MAX_SESSIONS_PER_IP", 50),
        in.positive("FTP_WORKER_THREADS", in.positive("FTP_MAX_SESSIONS", 500) + 16),
        in.seconds("FTP_IDLE_TIMEOUT_SECONDS", 300),
        in.seconds("FTP_LOGIN_TIMEOUT_SECONDS", 60),
        in.seconds("FTP_DATA_TIMEOUT_SECONDS", 30),
        in.seconds("FTP_TRANSFER_STALL_TIMEOUT_SECONDS", 120),
        Duration.ofMillis(in.nonNegative("FTP_LOGIN_FAILURE_DELAY_MS", 1000)),
        in.nonNegative("FTP_BAN_MAX_FAILURES", 10),
        in.seconds("FTP_BAN_WINDOW_SECONDS", 300),
        in.seconds("FTP_BAN_SECONDS", 900),
        in.seconds("FTP_SHUTDOWN_GRACE_SECONDS", 30));
  }

  public Path anonymousHome() {
    return dataDir.resolve("anonymous");
  }

  /** Reads one typed value per variable, naming the variable in every error. */
  private record EnvReader(Map<String, String> env) {

    Optional<String> optional(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String text(String name, String fallback) {
      return optional(name).orElse(fallback);
    }

    boolean bool(String name, boolean fallback) {
      return optional(name)
          .map(
              v ->
                  switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "on" -> true;
                    case "false", "no", "0", "off" -> false;
                    default ->
                        throw new IllegalArgumentException(
                            name + " must be true or false, got '" + v + "'");
                  })
          .orElse(fallback);
    }

    int integer(String name, int fallback) {
      return optional(name)
          .map(
              v -> {
                try {
                  return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                  throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
                }
              })
          .orElse(fallback);
    }

    int nonNegative(String name, int fallback) {
      int value = integer(name, fallback);
      if (value < 0) {
        throw new IllegalArgumentException(name + " must not be negative, got " + value);
      }
      return value;
    }

    int positive(String name, int fallback) {
      int value = integer(name, fallback);
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + value);
      }
      return value;
    }

    /** 0 asks the system for a free port (used by tests). */
    int port(String name, int fallback) {
      int value = integer(name, fallback);
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException(name + " must be a port 0..65535, got " + value);
      }
      return value;
    }

    /** Only TLS 1.2 and 1.3 may be enabled. */
    List<String> tlsProtocols(String name, String fallback) {
      List<String> protocols =
          Arrays.stream(text(name, fallback).split(","))
              .map(String::trim)
              .filter(p -> !p.isEmpty())
              .distinct()
              .toList();
      if (protocols.isEmpty() || !List.of("TLSv1.2", "TLSv1.3").containsAll(protocols)) {
        throw new IllegalArgumentException(
            name + " must list TLSv1.2 and/or TLSv1.3, got '" + text(name, fallback) + "'");
      }
      return protocols;
    }

    Duration seconds(String name, int fallback) {
      return Duration.ofSeconds(nonNegative(name, fallback));
    }
  }
}

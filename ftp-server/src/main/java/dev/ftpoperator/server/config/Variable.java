package dev.ftpoperator.server.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every FTP_* environment variable the server reads, with its default: the one list of the contract
 * between the operator (which writes them) and the server. {@link ServerSettings} parses through
 * it, a test checks ftp-server/README.md's table against it, and the operator's contract test feeds
 * what the operator renders to the parser.
 */
public enum Variable {
  FTP_BIND_ADDRESS("0.0.0.0"),
  FTP_CONTROL_PORT("2121"),
  FTP_PASSIVE_PORTS("30000-30009"),
  FTP_PUBLIC_ADDRESS(null),
  FTP_PUBLIC_ADDRESS_CACHE_SECONDS("30"),
  FTP_REQUIRE_PUBLIC_ADDRESS("false"),
  FTP_ACTIVE_ENABLED("true"),
  FTP_USERS_DIR("/etc/ftp/users"),
  FTP_DATA_DIR("/data"),
  FTP_ANONYMOUS_ENABLED("false"),
  /** Unset: no probe account. */
  FTP_PROBE_PASSWORD_FILE(null),
  FTP_PROBE_HOME("/tmp/ftp-probe"),
  FTP_TLS_MODE("none"),
  FTP_TLS_CERT_FILE("/etc/ftp/tls/tls.crt"),
  FTP_TLS_KEY_FILE("/etc/ftp/tls/tls.key"),
  FTP_TLS_SESSION_REUSE_REQUIRED("true"),
  FTP_TLS_PROTOCOLS("TLSv1.2"),
  FTP_TLS_RELOAD_SECONDS("10"),
  FTP_TLS_SERVER_NAMES(null),
  FTP_HTTP_BIND_ADDRESS("0.0.0.0"),
  FTP_HTTP_PORT("8080"),
  FTP_MAX_SESSIONS("500"),
  FTP_MAX_SESSIONS_PER_IP("50"),
  /** Default: FTP_MAX_SESSIONS + 16 (a transfer occupies a worker). */
  FTP_WORKER_THREADS(null),
  FTP_MAX_UNKNOWN_COMMANDS("5"),
  FTP_COMMAND_RATE("200"),
  FTP_COMMAND_BURST("400"),
  FTP_MAX_COMMAND_LINE_BYTES("4096"),
  FTP_MAX_QUEUED_BYTES("65536"),
  /** Default: half the JVM's maximum heap. */
  FTP_LISTING_MEMORY_MB(null),
  FTP_IDLE_TIMEOUT_SECONDS("300"),
  FTP_LOGIN_TIMEOUT_SECONDS("60"),
  FTP_DATA_TIMEOUT_SECONDS("30"),
  FTP_TRANSFER_STALL_TIMEOUT_SECONDS("120"),
  FTP_LOGIN_FAILURE_DELAY_MS("1000"),
  FTP_BAN_MAX_FAILURES("10"),
  FTP_BAN_WINDOW_SECONDS("300"),
  FTP_BAN_SECONDS("900"),
  FTP_SHUTDOWN_GRACE_SECONDS("30"),
  FTP_LOG_LEVEL("info"),
  /** 1: a lone server, nothing below is read. 2 or more: see {@link ClusterSettings}. */
  FTP_CLUSTER_REPLICAS("1"),
  /** The pod's name (downward API); the ordinal is the number after its last '-'. */
  FTP_POD_NAME(null),
  /** Overrides the ordinal taken from FTP_POD_NAME. */
  FTP_CLUSTER_ORDINAL(null),
  /** {@code 0=10.96.3.4,1=10.96.7.1,...}: every ordinal's relay address. */
  FTP_CLUSTER_PEERS(null),
  FTP_CLUSTER_RELAY_PORT("2122"),
  FTP_CLUSTER_SECRET_FILE("/etc/ftp/cluster/secret");

  private final String defaultValue;

  Variable(String defaultValue) {
    this.defaultValue = defaultValue;
  }

  /** The literal default; empty when unset by default or derived from another variable. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The value in {@code env}, trimmed; empty when unset or blank. */
  public Optional<String> in(Map<String, String> env) {
    String value = env.get(name());
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** FTP_* names in {@code env} that are no variable of this server (typos, another version's). */
  public static Set<String> unknownIn(Map<String, String> env) {
    Set<String> known = Arrays.stream(values()).map(Enum::name).collect(Collectors.toSet());
    return env.keySet().stream()
        .filter(name -> name.startsWith("FTP_") && !known.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}

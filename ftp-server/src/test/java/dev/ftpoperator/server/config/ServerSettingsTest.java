package dev.ftpoperator.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

  @Test
  void defaultsFollowTheOperatorContractAndAreSafe() {
    ServerSettings settings = ServerSettings.from(Map.of());
    assertThat(settings.controlPort()).isEqualTo(2121);
    assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(settings.passivePorts()).isEqualTo(new PassivePortRange(30000, 30009));
    assertThat(settings.publicAddress()).isEmpty();
    assertThat(settings.requirePublicAddress()).isFalse();
    assertThat(settings.activeEnabled()).isTrue();
    assertThat(settings.usersDir()).isEqualTo(Path.of("/etc/ftp/users"));
    assertThat(settings.dataDir()).isEqualTo(Path.of("/data"));
    assertThat(settings.anonymousEnabled()).isFalse();
    assertThat(settings.tlsMode()).isEqualTo(TlsMode.NONE);
    assertThat(settings.tlsCertFile()).isEqualTo(Path.of("/etc/ftp/tls/tls.crt"));
    assertThat(settings.tlsKeyFile()).isEqualTo(Path.of("/etc/ftp/tls/tls.key"));
    assertThat(settings.tlsSessionReuseRequired()).isTrue();
    assertThat(settings.tlsProtocols()).containsExactly("TLSv1.2");
    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.maxSessions()).isGreaterThanOrEqualTo(100);
    assertThat(settings.workerThreads()).isGreaterThan(settings.maxSessions());
    assertThat(settings.loginFailureDelay()).isPositive();
    assertThat(settings.idleTimeout()).isPositive();
    assertThat(settings.loginTimeout()).isPositive();
  }

  /** A valid value other than the default for every variable. */
  static final Map<Variable, String> SAMPLES =
      Map.ofEntries(
          Map.entry(Variable.FTP_BIND_ADDRESS, "127.0.0.1"),
          Map.entry(Variable.FTP_CONTROL_PORT, "21"),
          Map.entry(Variable.FTP_PASSIVE_PORTS, "40000-40019"),
          Map.entry(Variable.FTP_PUBLIC_ADDRESS, "ftp.example.org"),
          Map.entry(Variable.FTP_PUBLIC_ADDRESS_CACHE_SECONDS, "5"),
          Map.entry(Variable.FTP_REQUIRE_PUBLIC_ADDRESS, "true"),
          Map.entry(Variable.FTP_ACTIVE_ENABLED, "false"),
          Map.entry(Variable.FTP_USERS_DIR, "/srv/users"),
          Map.entry(Variable.FTP_DATA_DIR, "/srv/data"),
          Map.entry(Variable.FTP_ANONYMOUS_ENABLED, "yes"),
          Map.entry(Variable.FTP_PROBE_PASSWORD_FILE, "/etc/ftp/probe/password"),
          Map.entry(Variable.FTP_PROBE_HOME, "/srv/probe-home"),
          Map.entry(Variable.FTP_TLS_MODE, "Required"),
          Map.entry(Variable.FTP_TLS_CERT_FILE, "/srv/tls/crt.pem"),
          Map.entry(Variable.FTP_TLS_KEY_FILE, "/srv/tls/key.pem"),
          Map.entry(Variable.FTP_TLS_SESSION_REUSE_REQUIRED, "false"),
          Map.entry(Variable.FTP_TLS_PROTOCOLS, "TLSv1.2,TLSv1.3"),
          Map.entry(Variable.FTP_TLS_RELOAD_SECONDS, "0"),
          Map.entry(Variable.FTP_HTTP_BIND_ADDRESS, "127.0.0.1"),
          Map.entry(Variable.FTP_HTTP_PORT, "9090"),
          Map.entry(Variable.FTP_MAX_SESSIONS, "50"),
          Map.entry(Variable.FTP_MAX_SESSIONS_PER_IP, "5"),
          Map.entry(Variable.FTP_WORKER_THREADS, "8"),
          Map.entry(Variable.FTP_IDLE_TIMEOUT_SECONDS, "60"),
          Map.entry(Variable.FTP_LOGIN_TIMEOUT_SECONDS, "20"),
          Map.entry(Variable.FTP_DATA_TIMEOUT_SECONDS, "10"),
          Map.entry(Variable.FTP_TRANSFER_STALL_TIMEOUT_SECONDS, "30"),
          Map.entry(Variable.FTP_LOGIN_FAILURE_DELAY_MS, "0"),
          Map.entry(Variable.FTP_BAN_MAX_FAILURES, "3"),
          Map.entry(Variable.FTP_BAN_WINDOW_SECONDS, "60"),
          Map.entry(Variable.FTP_BAN_SECONDS, "60"),
          Map.entry(Variable.FTP_SHUTDOWN_GRACE_SECONDS, "5"),
          Map.entry(Variable.FTP_LOG_LEVEL, "debug"));

  @Test
  void everyVariableIsRead() {
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrder(Variable.values());
    ServerSettings defaults = ServerSettings.from(Map.of());
    for (Variable v : Variable.values()) {
      if (v == Variable.FTP_LOG_LEVEL) {
        continue; // read by FtpServerMain before the settings, so that their errors are logged
      }
      assertThat(ServerSettings.from(Map.of(v.name(), SAMPLES.get(v))))
          .as("%s=%s changes the settings", v, SAMPLES.get(v))
          .isNotEqualTo(defaults);
    }
    ServerSettings settings =
        ServerSettings.from(
            Map.of(
                "FTP_MAX_SESSIONS",
                "50",
                "FTP_IDLE_TIMEOUT_SECONDS",
                "60",
                "FTP_TLS_MODE",
                "Required"));
    assertThat(settings.workerThreads()).isEqualTo(66);
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.tlsMode()).isEqualTo(TlsMode.REQUIRED);
  }

  @Test
  void defaultsAreTheOnesTheContractLists() {
    ServerSettings settings = ServerSettings.from(Map.of());
    assertThat(Integer.toString(settings.controlPort()))
        .isEqualTo(Variable.FTP_CONTROL_PORT.defaultValue().orElseThrow());
    assertThat(settings.passivePorts().toString())
        .isEqualTo(Variable.FTP_PASSIVE_PORTS.defaultValue().orElseThrow());
    assertThat(settings.usersDir().toString())
        .isEqualTo(Variable.FTP_USERS_DIR.defaultValue().orElseThrow());
  }

  @Test
  void unknownFtpVariablesAreFoundAndOthersIgnored() {
    assertThat(
            Variable.unknownIn(
                Map.of("FTP_PASIVE_PORTS", "1-2", "FTP_DATA_DIR", "/d", "HOME", "/root")))
        .containsExactly("FTP_PASIVE_PORTS");
  }

  @Test
  void invalidValuesNameTheVariable() {
    assertThatThrownBy(() -> ServerSettings.from(Map.of("FTP_CONTROL_PORT", "abc")))
        .hasMessageContaining("FTP_CONTROL_PORT");
    assertThatThrownBy(() -> ServerSettings.from(Map.of("FTP_ACTIVE_ENABLED", "maybe")))
        .hasMessageContaining("FTP_ACTIVE_ENABLED");
    assertThatThrownBy(() -> ServerSettings.from(Map.of("FTP_TLS_PROTOCOLS", "TLSv1.1,TLSv1.2")))
        .hasMessageContaining("FTP_TLS_PROTOCOLS");
    assertThatThrownBy(() -> ServerSettings.from(Map.of("FTP_TLS_MODE", "ssl")))
        .hasMessageContaining("FTP_TLS_MODE");
    assertThatThrownBy(() -> ServerSettings.from(Map.of("FTP_PASSIVE_PORTS", "30010-30000")))
        .hasMessageContaining("passive port range");
    assertThatThrownBy(() -> ServerSettings.from(Map.of("FTP_PASSIVE_PORTS", "lots")))
        .hasMessageContaining("30000-30009");
  }

  @Test
  void theProbeHomeMustLieOutsideTheDataRoot() {
    assertThatThrownBy(
            () -> ServerSettings.from(Map.of("FTP_DATA_DIR", "/data", "FTP_PROBE_HOME", "/data/p")))
        .hasMessageContaining("FTP_PROBE_HOME");
    assertThatThrownBy(
            () -> ServerSettings.from(Map.of("FTP_DATA_DIR", "/tmp/d", "FTP_PROBE_HOME", "/tmp")))
        .hasMessageContaining("FTP_PROBE_HOME");
  }

  @Test
  void aSinglePassivePortIsARangeOfOne() {
    assertThat(PassivePortRange.parse("30000").size()).isEqualTo(1);
  }
}

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

  @Test
  void everyVariableIsRead() {
    ServerSettings settings =
        ServerSettings.from(
            Map.ofEntries(
                Map.entry("FTP_CONTROL_PORT", "21"),
                Map.entry("FTP_PASSIVE_PORTS", "40000-40019"),
                Map.entry("FTP_PUBLIC_ADDRESS", "ftp.example.org"),
                Map.entry("FTP_REQUIRE_PUBLIC_ADDRESS", "true"),
                Map.entry("FTP_ACTIVE_ENABLED", "false"),
                Map.entry("FTP_ANONYMOUS_ENABLED", "yes"),
                Map.entry("FTP_TLS_MODE", "Required"),
                Map.entry("FTP_MAX_SESSIONS", "50"),
                Map.entry("FTP_IDLE_TIMEOUT_SECONDS", "60")));
    assertThat(settings.controlPort()).isEqualTo(21);
    assertThat(settings.passivePorts().size()).isEqualTo(20);
    assertThat(settings.publicAddress()).contains("ftp.example.org");
    assertThat(settings.requirePublicAddress()).isTrue();
    assertThat(settings.activeEnabled()).isFalse();
    assertThat(settings.anonymousEnabled()).isTrue();
    assertThat(settings.tlsMode()).isEqualTo(TlsMode.REQUIRED);
    assertThat(settings.workerThreads()).isEqualTo(66);
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
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
  void aSinglePassivePortIsARangeOfOne() {
    assertThat(PassivePortRange.parse("30000").size()).isEqualTo(1);
  }
}

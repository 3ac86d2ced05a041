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
          Map.entry(Variable.FTP_TLS_SERVER_NAMES, "ftp.example.org,files.example.org"),
          Map.entry(Variable.FTP_HTTP_BIND_ADDRESS, "127.0.0.1"),
          Map.entry(Variable.FTP_HTTP_PORT, "9090"),
          Map.entry(Variable.FTP_MAX_SESSIONS, "50"),
          Map.entry(Variable.FTP_MAX_SESSIONS_PER_IP, "5"),
          Map.entry(Variable.FTP_WORKER_THREADS, "8"),
          Map.entry(Variable.FTP_MAX_UNKNOWN_COMMANDS, "0"),
          Map.entry(Variable.FTP_COMMAND_RATE, "50"),
          Map.entry(Variable.FTP_COMMAND_BURST, "20"),
          Map.entry(Variable.FTP_MAX_COMMAND_LINE_BYTES, "8192"),
          Map.entry(Variable.FTP_MAX_QUEUED_BYTES, "16384"),
          Map.entry(Variable.FTP_LISTING_MEMORY_MB, "64"),
          Map.entry(Variable.FTP_IDLE_TIMEOUT_SECONDS, "60"),
          Map.entry(Variable.FTP_LOGIN_TIMEOUT_SECONDS, "20"),
          Map.entry(Variable.FTP_DATA_TIMEOUT_SECONDS, "10"),
          Map.entry(Variable.FTP_TRANSFER_STALL_TIMEOUT_SECONDS, "30"),
          Map.entry(Variable.FTP_LOGIN_FAILURE_DELAY_MS, "0"),
          Map.entry(Variable.FTP_BAN_MAX_FAILURES, "3"),
          Map.entry(Variable.FTP_BAN_WINDOW_SECONDS, "60"),
          Map.entry(Variable.FTP_BAN_SECONDS, "60"),
          Map.entry(Variable.FTP_SHUTDOWN_GRACE_SECONDS, "5"),
          Map.entry(Variable.FTP_LOG_LEVEL, "debug"),
          Map.entry(Variable.FTP_CLUSTER_REPLICAS, "2"),
          Map.entry(Variable.FTP_POD_NAME, "partners-1"),
          Map.entry(Variable.FTP_CLUSTER_ORDINAL, "0"),
          Map.entry(Variable.FTP_CLUSTER_PEERS, "0=10.96.0.10,1=10.96.0.11"),
          Map.entry(Variable.FTP_CLUSTER_RELAY_PORT, "3122"),
          Map.entry(Variable.FTP_CLUSTER_SECRET_FILE, "/srv/cluster/secret"));

  /** Three replicas, this pod the third: the base the cluster variables are varied against. */
  static final Map<String, String> CLUSTER =
      Map.of(
          "FTP_CLUSTER_REPLICAS",
          "3",
          "FTP_POD_NAME",
          "partners-2",
          "FTP_CLUSTER_PEERS",
          "0=10.96.0.10, 1=10.96.0.11, 2=fd00::12",
          "FTP_PASSIVE_PORTS",
          "30000-30009");

  static Map<String, String> cluster(String... overrides) {
    Map<String, String> env = new java.util.HashMap<>(CLUSTER);
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return env;
  }

  @Test
  void everyVariableIsRead() {
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrder(Variable.values());
    ServerSettings defaults = ServerSettings.from(Map.of());
    for (Variable v : Variable.values()) {
      if (v == Variable.FTP_LOG_LEVEL) {
        continue; // read by FtpServerMain before the settings, so that their errors are logged
      }
      if (v.name().startsWith("FTP_CLUSTER_") || v == Variable.FTP_POD_NAME) {
        assertThat(ServerSettings.from(cluster(v.name(), clusterSample(v))))
            .as("%s changes the settings of a replica", v)
            .isNotEqualTo(ServerSettings.from(CLUSTER));
        continue;
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

  private static String clusterSample(Variable v) {
    return switch (v) {
      case FTP_CLUSTER_REPLICAS -> "1"; // back to a lone server
      case FTP_CLUSTER_PEERS -> "0=10.96.0.10,1=10.96.0.11,2=10.96.0.12";
      default -> SAMPLES.get(v);
    };
  }

  @Test
  void oneReplicaIsALoneServerAndIgnoresTheClusterVariables() {
    assertThat(ServerSettings.from(Map.of()).cluster()).isEmpty();
    assertThat(
            ServerSettings.from(Map.of("FTP_CLUSTER_REPLICAS", "1", "FTP_POD_NAME", "x")).cluster())
        .isEmpty();
  }

  @Test
  void aReplicaKnowsItsOrdinalItsPeersAndTheRelayDefaults() throws Exception {
    ClusterSettings cluster = ServerSettings.from(CLUSTER).cluster().orElseThrow();
    assertThat(cluster.replicas()).isEqualTo(3);
    assertThat(cluster.ordinal()).isEqualTo(2);
    assertThat(cluster.peers())
        .containsEntry(0, java.net.InetAddress.getByName("10.96.0.10"))
        .containsEntry(2, java.net.InetAddress.getByName("fd00::12"));
    assertThat(cluster.relayPort()).isEqualTo(2122);
    assertThat(cluster.secretFile()).isEqualTo(Path.of("/etc/ftp/cluster/secret"));
    assertThat(ServerSettings.from(cluster("FTP_CLUSTER_ORDINAL", "1")).cluster().get().ordinal())
        .isEqualTo(1);
  }

  @Test
  void aReplicaWithoutAUsableIdentityPeersOrPortsDoesNotStart() {
    assertThatThrownBy(() -> ServerSettings.from(cluster("FTP_POD_NAME", "partners")))
        .hasMessageContaining("FTP_POD_NAME must end in -<ordinal>");
    Map<String, String> noName = cluster();
    noName.remove("FTP_POD_NAME");
    assertThatThrownBy(() -> ServerSettings.from(noName))
        .hasMessageContaining("FTP_POD_NAME (or FTP_CLUSTER_ORDINAL) must be set");
    assertThatThrownBy(() -> ServerSettings.from(cluster("FTP_POD_NAME", "partners-3")))
        .hasMessageContaining("ordinal 3 is not below FTP_CLUSTER_REPLICAS=3");
    assertThatThrownBy(() -> ServerSettings.from(cluster("FTP_CLUSTER_ORDINAL", "-1")))
        .hasMessageContaining("FTP_CLUSTER_ORDINAL must be a number");
    assertThatThrownBy(
            () -> ServerSettings.from(cluster("FTP_CLUSTER_PEERS", "0=10.96.0.10,2=10.96.0.12")))
        .hasMessageContaining("every ordinal 0..2, 1 is missing");
    assertThatThrownBy(
            () ->
                ServerSettings.from(
                    cluster("FTP_CLUSTER_PEERS", "0=10.0.0.1,1=10.0.0.2,2=10.0.0.3,3=10.0.0.4")))
        .hasMessageContaining("beyond 0..2");
    assertThatThrownBy(
            () -> ServerSettings.from(cluster("FTP_CLUSTER_PEERS", "0=a.example,1=1.2.3.4,2=::1")))
        .hasMessageContaining("an IP address per ordinal");
    assertThatThrownBy(
            () -> ServerSettings.from(cluster("FTP_CLUSTER_PEERS", "0=1.2.3.400,1=1.2.3.4,2=::1")))
        .hasMessageContaining("an IP address per ordinal");
    assertThatThrownBy(() -> ServerSettings.from(cluster("FTP_CLUSTER_REPLICAS", "4")))
        .hasMessageContaining("3 is missing");
    assertThatThrownBy(() -> ServerSettings.from(cluster("FTP_PASSIVE_PORTS", "30000-30004")))
        .hasMessageContaining("needs at least 6 (two per replica's slice)");
    Map<String, String> noPeers = cluster();
    noPeers.remove("FTP_CLUSTER_PEERS");
    assertThatThrownBy(() -> ServerSettings.from(noPeers))
        .hasMessageContaining("FTP_CLUSTER_PEERS must be set");
    assertThatThrownBy(() -> ServerSettings.from(cluster("FTP_CLUSTER_RELAY_PORT", "70000")))
        .hasMessageContaining("FTP_CLUSTER_RELAY_PORT");
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
    assertThatThrownBy(
            () -> ServerSettings.from(Map.of("FTP_TLS_SERVER_NAMES", "ftp.example.org,*.bad")))
        .hasMessageContaining("FTP_TLS_SERVER_NAMES");
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

package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.server.FreePorts;
import dev.ftpoperator.server.FtpService;
import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.config.ServerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One replica is today's server: nothing of the cluster exists, nothing listens for peers. */
class LoneServerTest {

  static boolean listening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  @Test
  void oneReplicaStartsNoRelayListenerAndNoRelayMetrics() throws Exception {
    int relayPort = FreePorts.range(1).min();
    // even with the cluster variables present, replicas=1 ignores them
    try (FtpTestServer server =
        FtpTestServer.start(
            Map.of(
                "FTP_CLUSTER_REPLICAS", "1",
                "FTP_POD_NAME", "partners-0",
                "FTP_CLUSTER_RELAY_PORT", Integer.toString(relayPort)))) {
      assertThat(server.service().relayPort()).isEmpty();
      assertThat(listening(FtpTestServer.HOST, relayPort)).isFalse();
      assertThat(server.service().metrics().prometheusText())
          .doesNotContain("relay")
          .doesNotContain("ftp_data_connections_direct_total")
          .doesNotContain("ban_reports");
      FTPClient client = server.alice();
      assertThat(client.listNames()).isNotNull();
      client.disconnect();
    }
  }

  static Map<String, String> replica(Path root, String secretFile) {
    Map<String, String> env = FtpTestServer.environment(root, FreePorts.range(4));
    env.put("FTP_CLUSTER_REPLICAS", "2");
    env.put("FTP_CLUSTER_ORDINAL", "0");
    env.put("FTP_CLUSTER_PEERS", "0=127.0.0.2,1=127.0.0.3");
    env.put("FTP_CLUSTER_SECRET_FILE", root.resolve(secretFile).toString());
    return env;
  }

  @Test
  void aReplicaWithoutAUsableSecretDoesNotStart(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("short"), "too short");
    assertThatThrownBy(() -> FtpService.start(ServerSettings.from(replica(root, "short"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 9 bytes, at least 32 are needed");
    assertThatThrownBy(() -> FtpService.start(ServerSettings.from(replica(root, "absent"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read");
  }
}

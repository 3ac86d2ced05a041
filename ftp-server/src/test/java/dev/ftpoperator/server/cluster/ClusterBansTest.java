package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.FtpTestServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.Test;

/** Failed logins spread over the replicas count as if they were made against one server. */
class ClusterBansTest {

  static final String ATTACKER = "127.0.0.66";

  static FTPClient connect(String from, int pod, ClusterPods pods) throws Exception {
    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    client.connect(
        InetAddress.getByName(ClusterPods.address(pod)),
        pods.pod(pod).controlPort(),
        InetAddress.getByName(from),
        0);
    return client;
  }

  static void failOnce(ClusterPods pods, int pod, int attempt) throws Exception {
    FTPClient attacker = connect(ATTACKER, pod, pods);
    assertThat(attacker.login("alice", "guess" + attempt)).isFalse();
    attacker.disconnect();
  }

  @Test
  void guessesSpreadOverThreePodsBanTheAttackerOnAllOfThem() throws Exception {
    try (ClusterPods pods =
        ClusterPods.start(
            3, 2, Map.of("FTP_BAN_MAX_FAILURES", "4", "FTP_LOGIN_FAILURE_DELAY_MS", "0"))) {
      // two guesses on pod 0, two on pod 1: no pod alone saw four
      failOnce(pods, 0, 1);
      failOnce(pods, 0, 2);
      failOnce(pods, 1, 3);
      failOnce(pods, 1, 4);
      for (int pod = 0; pod < 3; pod++) {
        int p = pod;
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(
                () ->
                    assertThatThrownBy(() -> connect(ATTACKER, p, pods))
                        .as("pod %d bans the attacker", p)
                        .isInstanceOf(FTPConnectionClosedException.class)
                        .hasMessageContaining("421"));
      }
      assertThat(pods.metrics(2))
          .contains("ftp_cluster_ban_reports_total{result=\"received\"} 4")
          .containsPattern("ftp_ip_bans_total [1-9]");
      assertThat(pods.metrics(0)).contains("ftp_cluster_ban_reports_total{result=\"sent\"} 4");
      // the ban is the attacker's alone
      FTPClient someoneElse =
          ClusterPods.login("127.0.0.9", ClusterPods.address(2), pods.pod(2).controlPort());
      assertThat(someoneElse.listNames()).isNotNull();
      someoneElse.disconnect();
    }
  }
}

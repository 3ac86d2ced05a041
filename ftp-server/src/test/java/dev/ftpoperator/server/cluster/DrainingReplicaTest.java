package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica that drains (SIGTERM) while another replica's transfer is relayed through it: the
 * transfer is not its own, yet it must run to its end before the pod stops, or a rolling update
 * would break sessions on the pods that stay.
 */
class DrainingReplicaTest {

  static final String CLIENT = "127.0.0.9";
  ClusterPods pods;
  int lbPort;

  @BeforeEach
  void start() throws Exception {
    pods = ClusterPods.start(2, 3, Map.of());
    lbPort = ClusterPods.freeControlPort();
    // control connections to pod 0 first, every data connection to pod 1: relayed to pod 0
    pods.balancer(lbPort, owner -> 1);
  }

  @AfterEach
  void stop() throws Exception {
    pods.close();
  }

  @Test
  void aDrainingPodKeepsRelayingAnotherPodsTransferUntilItEnds() throws Exception {
    // larger than every socket buffer on the way, so the transfer cannot finish unread
    byte[] content = new byte[48 * 1024 * 1024];
    new Random(11).nextBytes(content);
    Files.createDirectories(pods.root.resolve("data/alice"));
    Files.write(pods.root.resolve("data/alice/long.bin"), content);
    FTPClient client = ClusterPods.login(CLIENT, TestLoadBalancer.ADDRESS, lbPort);
    assertThat(client.pasv()).isEqualTo(227);
    assertThat(pods.slices.owner(RelayedDataConnectionsTest.passivePort(client.getReplyString())))
        .as("the session is on pod 0")
        .isZero();
    client.enterLocalPassiveMode();

    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long read = 0;
    Thread drain;
    try (InputStream in = client.retrieveFileStream("long.bin")) {
      byte[] chunk = new byte[64 * 1024];
      int n = in.readNBytes(chunk, 0, chunk.length);
      digest.update(chunk, 0, n);
      read += n;
      drain =
          RelayListener.daemon(
              () -> pods.pod(1).drainAndStop(Duration.ofSeconds(20)), "test-drain-pod-1");
      drain.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> !pods.pod(1).isAccepting());
      // pod 1 has no session and no transfer of its own: only the relayed connection holds it
      drain.join(500);
      assertThat(drain.isAlive()).as("pod 1 waits for the transfer it relays").isTrue();
      while ((n = in.read(chunk)) > 0) {
        digest.update(chunk, 0, n);
        read += n;
      }
    }
    assertThat(client.completePendingCommand()).as(client.getReplyString()).isTrue();
    assertThat(read).isEqualTo(content.length);
    assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
    drain.join(10_000);
    assertThat(drain.isAlive()).as("pod 1 stops once the relayed transfer ended").isFalse();
    client.disconnect();
  }
}

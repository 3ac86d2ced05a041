package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/**
 * Passive ports go back to the pool after every transfer, and an exhausted pool answers 425 and
 * recovers.
 */
class PassivePortLifecycleTest {

  @Test
  void manyMoreTransfersThanPortsSucceedAndLeaveNoPortInUse() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of(), 2, root -> {})) {
      FTPClient client = server.alice();
      byte[] content = "payload".getBytes();
      for (int i = 0; i < 60; i++) {
        assertThat(client.storeFile("f" + (i % 5), new ByteArrayInputStream(content)))
            .as("upload %d", i)
            .isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(client.retrieveFile("f" + (i % 5), out)).as("download %d", i).isTrue();
        assertThat(client.listNames()).as("listing %d", i).isNotEmpty();
      }
      // MINA sends 226 before its finally block closes the data connection: allow that moment
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(20))
          .untilAsserted(
              () ->
                  assertThat(server.service().metrics().prometheusText())
                      .contains("ftp_passive_ports_in_use 0"));
      client.disconnect();
    }
  }

  @Test
  void anExhaustedPoolAnswers425CountedInMetricsAndRecoversWhenUnusedPortsTimeOut()
      throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(Map.of("FTP_DATA_TIMEOUT_SECONDS", "1"), 2, root -> {})) {
      FTPClient first = server.alice();
      FTPClient second = server.alice();
      FTPClient third = server.alice();
      assertThat(first.pasv()).isEqualTo(227);
      assertThat(second.epsv()).isEqualTo(229);
      assertThat(third.pasv()).isEqualTo(425);
      assertThat(third.epsv()).isEqualTo(425);
      assertThat(server.service().metrics().prometheusText())
          .contains("ftp_passive_ports_exhausted_total 2");
      // the two reservations nobody connected to are released by the data timeout
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(third.pasv()).isEqualTo(227));
      first.disconnect();
      second.disconnect();
      third.disconnect();
    }
  }

  @Test
  void closingASessionReleasesItsPassivePort() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of(), 1, root -> {})) {
      FTPClient holder = server.alice();
      assertThat(holder.pasv()).isEqualTo(227);
      holder.disconnect();
      FTPClient next = server.alice();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(next.pasv()).isEqualTo(227));
      next.disconnect();
    }
  }
}

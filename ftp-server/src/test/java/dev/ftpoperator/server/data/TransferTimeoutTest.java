package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.FtpTestServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

class TransferTimeoutTest {

  @Test
  void aDownloadTheClientStopsReadingIsAbortedAfterTheStallTimeout() throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(Map.of("FTP_TRANSFER_STALL_TIMEOUT_SECONDS", "1"))) {
      Files.createDirectories(server.dataDir().resolve("alice"));
      Files.write(server.dataDir().resolve("alice/big.bin"), new byte[64 * 1024 * 1024]);
      FTPClient client = server.alice();
      InputStream download = client.retrieveFileStream("big.bin");
      download.readNBytes(1024);
      // stop reading: socket buffers fill, the server's send blocks, the watchdog must cut it
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(server.service().metrics().prometheusText())
                      .contains("ftp_transfers_total{result=\"failed\"} 1")
                      .contains("ftp_transfers_active 0"));
      long rest = download.transferTo(java.io.OutputStream.nullOutputStream());
      assertThat(1024 + rest).isLessThan(64L * 1024 * 1024);
      assertThat(server.service().metrics().prometheusText())
          .contains("ftp_passive_ports_in_use 0");
    }
  }
}

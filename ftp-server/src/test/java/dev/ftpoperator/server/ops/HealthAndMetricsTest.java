package dev.ftpoperator.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest {

  @Test
  void livenessAndReadinessAnswer200WhileTheListenerAccepts() throws Exception {
    try (FtpTestServer server = FtpTestServer.start()) {
      assertThat(server.http("/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = server.http("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(server.http("/health/nope").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void metricsCountSessionsLoginsBytesAndTransfersAndShowTheSessionLimit() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_MAX_SESSIONS", "37"))) {
      FTPClient client = server.alice();
      client.storeFile("m.bin", new ByteArrayInputStream(new byte[1000]));
      client.retrieveFile("m.bin", new ByteArrayOutputStream());
      FTPClient bad = server.connect();
      bad.login("alice", "wrong");

      HttpResponse<String> metrics = server.http("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body())
          .contains("ftp_sessions_open 2")
          .contains("ftp_sessions_limit 37")
          .contains("ftp_logins_total{result=\"ok\"} 1")
          .contains("ftp_logins_total{result=\"failed\"} 1")
          .contains("ftp_bytes_received_total 1000")
          .contains("ftp_transfers_total{result=\"ok\"} 2")
          .contains("ftp_passive_ports_in_use 0")
          .contains("ftp_passive_ports_configured 4")
          .contains("# TYPE ftp_bytes_sent_total counter");
      assertThat(metrics.body()).containsPattern("ftp_bytes_sent_total (\\d{4,})");
      client.disconnect();
      bad.disconnect();
    }
  }
}

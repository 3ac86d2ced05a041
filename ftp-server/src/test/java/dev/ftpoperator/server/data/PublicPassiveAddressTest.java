package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/** The bug this project exists to fix: PASV must name the public address, never the pod's own. */
class PublicPassiveAddressTest {

  @Test
  void pasvAdvertisesThePublicAddressNotTheBindAddress() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_PUBLIC_ADDRESS", "127.0.0.77"))) {
      FTPClient client = server.alice();
      assertThat(client.pasv()).isEqualTo(227);
      assertThat(client.getReplyString()).contains("(127,0,0,77,");
      client.disconnect();
    }
  }

  @Test
  void aDnsNamePublicAddressIsResolvedWhenAnswering() throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(
            Map.of("FTP_PUBLIC_ADDRESS", "localhost", "FTP_REQUIRE_PUBLIC_ADDRESS", "true"))) {
      FTPClient client = server.alice();
      assertThat(client.pasv()).isEqualTo(227);
      assertThat(client.getReplyString()).contains("(127,0,0,1,");
      client.disconnect();
    }
  }

  @Test
  void withoutAPublicAddressARequiredOneMakesPasvFailClearlyWhileEpsvStillWorks() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_REQUIRE_PUBLIC_ADDRESS", "true"))) {
      FTPClient client = server.alice();
      assertThat(client.pasv()).isEqualTo(425);
      assertThat(client.getReplyString()).contains("no public address").contains("EPSV");

      client.setUseEPSVwithIPv4(true);
      assertThat(client.storeFile("via-epsv.txt", new ByteArrayInputStream("ok".getBytes())))
          .isTrue();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(client.retrieveFile("via-epsv.txt", out)).isTrue();
      assertThat(out.toString()).isEqualTo("ok");
      client.disconnect();
    }
  }

  @Test
  void withoutAPublicAddressAndNoRequirementPasvNamesTheControlConnectionsAddress()
      throws Exception {
    try (FtpTestServer server = FtpTestServer.start()) {
      FTPClient client = server.alice();
      assertThat(client.pasv()).isEqualTo(227);
      assertThat(client.getReplyString()).contains("(127,0,0,1,");
      client.disconnect();
    }
  }
}

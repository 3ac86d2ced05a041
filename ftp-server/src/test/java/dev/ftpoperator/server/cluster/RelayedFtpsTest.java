package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.tls.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay moves bytes, not FTP: a protected data connection works through it unchanged. */
class RelayedFtpsTest {

  @Test
  void aTlsDataConnectionRelayedToItsOwnerCompletesItsHandshakeAndTransfer(@TempDir Path tls)
      throws Exception {
    TestCertificates.writeRsa(tls, 11);
    try (ClusterPods pods =
        ClusterPods.start(
            2,
            2,
            Map.of(
                "FTP_TLS_MODE",
                "required",
                "FTP_TLS_SESSION_REUSE_REQUIRED",
                "false",
                "FTP_TLS_CERT_FILE",
                tls.resolve("tls.crt").toString(),
                "FTP_TLS_KEY_FILE",
                tls.resolve("tls.key").toString()))) {
      int lbPort = ClusterPods.freeControlPort();
      pods.relayingBalancer(lbPort);
      InetAddress local = InetAddress.getByName("127.0.0.9");
      FTPSClient client = new FTPSClient(false);
      client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
      FtpTestServer.configure(client);
      client.connect(InetAddress.getByName(TestLoadBalancer.ADDRESS), lbPort, local, 0);
      assertThat(client.login("alice", "secret")).as(client.getReplyString()).isTrue();
      client.execPBSZ(0);
      client.execPROT("P");
      client.setFileType(FTP.BINARY_FILE_TYPE);
      client.setPassiveLocalIPAddress(local);
      client.enterLocalPassiveMode();

      byte[] content = new byte[700_000];
      new Random(5).nextBytes(content);
      assertThat(client.storeFile("secure.bin", new ByteArrayInputStream(content)))
          .as(client.getReplyString())
          .isTrue();
      ByteArrayOutputStream back = new ByteArrayOutputStream();
      assertThat(client.retrieveFile("secure.bin", back)).isTrue();
      assertThat(back.toByteArray()).isEqualTo(content);
      client.disconnect();
      long relayedIn = 0;
      for (int k = 0; k < 2; k++) {
        relayedIn +=
            pods.metrics(k)
                .lines()
                .filter(l -> l.startsWith("ftp_relayed_connections_total{direction=\"in\"}"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
      }
      assertThat(relayedIn).isEqualTo(2);
    }
  }
}

package dev.ftpoperator.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.Test;

/**
 * FTPS with a certificate made at test time: explicit, implicit, required, and the data-session
 * reuse rule.
 */
class FtpsTest {

  private static FTPSClient ftps(FtpTestServer server, boolean implicit) throws Exception {
    FTPSClient client = new FTPSClient(implicit);
    client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
    FtpTestServer.configure(client);
    client.connect(FtpTestServer.HOST, server.port());
    assertThat(client.login("alice", "secret")).as(client.getReplyString()).isTrue();
    client.execPBSZ(0);
    client.execPROT("P");
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.enterLocalPassiveMode();
    return client;
  }

  private static void roundTrip(FTPClient client) throws Exception {
    byte[] content = new byte[300_000];
    new java.util.Random(9).nextBytes(content);
    assertThat(client.storeFile("secure.bin", new ByteArrayInputStream(content)))
        .as(client.getReplyString())
        .isTrue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("secure.bin", out)).isTrue();
    assertThat(out.toByteArray()).isEqualTo(content);
    assertThat(client.listNames()).contains("secure.bin");
  }

  @Test
  void explicitTlsProtectsLoginAndData() throws Exception {
    try (FtpTestServer server = TlsTestServers.start("explicit", false)) {
      FTPSClient client = ftps(server, false);
      roundTrip(client);
      client.disconnect();
    }
  }

  @Test
  void implicitTlsWorksFromTheFirstByte() throws Exception {
    try (FtpTestServer server = TlsTestServers.start("implicit", false)) {
      FTPSClient client = ftps(server, true);
      roundTrip(client);
      client.disconnect();
    }
  }

  @Test
  void explicitModeStillAllowsPlainClients() throws Exception {
    try (FtpTestServer server = TlsTestServers.start("explicit", false)) {
      FTPClient plain = server.alice();
      roundTrip(plain);
      plain.disconnect();
    }
  }

  @Test
  void requiredModeRefusesALoginWithoutTls() throws Exception {
    try (FtpTestServer server = TlsTestServers.start("required", false)) {
      FTPClient plain = server.connect();
      assertThat(plain.login("alice", "secret")).isFalse();
      assertThat(plain.getReplyCode()).isEqualTo(530);
      assertThat(plain.getReplyString()).contains("AUTH TLS");
      plain.disconnect();
    }
  }

  @Test
  void requiredModeRefusesUnprotectedDataConnections() throws Exception {
    try (FtpTestServer server = TlsTestServers.start("required", false)) {
      FTPSClient client = ftps(server, false);
      client.execPROT("C");
      assertThat(client.storeFile("clear.txt", new ByteArrayInputStream("x".getBytes()))).isFalse();
      assertThat(client.getReplyCode()).isEqualTo(521);
      client.execPROT("P");
      roundTrip(client);
      client.disconnect();
    }
  }

  @Test
  void aRenewedCertificateIsServedToNewConnectionsWithoutRestart() throws Exception {
    Map<String, String> env =
        new HashMap<>(Map.of("FTP_TLS_MODE", "implicit", "FTP_TLS_RELOAD_SECONDS", "1"));
    try (FtpTestServer server =
        FtpTestServer.start(
            env,
            2,
            root -> {
              TestCertificates.writeRsa(root.resolve("tls"), 100);
              env.put("FTP_TLS_CERT_FILE", root.resolve("tls/tls.crt").toString());
              env.put("FTP_TLS_KEY_FILE", root.resolve("tls/tls.key").toString());
            })) {
      assertThat(servedSerial(server)).isEqualTo(100);
      TestCertificates.writeRsa(server.root().resolve("tls"), 101);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(() -> assertThat(servedSerial(server)).isEqualTo(101));
    }
  }

  /** Implicit FTPS speaks TLS at once: a bare TLS handshake shows the certificate served. */
  private static long servedSerial(FtpTestServer server) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(FtpTestServer.HOST, server.port())) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSerialNumber()
          .longValueExact();
    }
  }

  @Test
  void aDataConnectionThatDoesNotResumeTheControlTlsSessionIsRefusedByDefault() throws Exception {
    // commons-net opens each data connection with a fresh TLS session: exactly what the default
    // forbids
    try (FtpTestServer server = TlsTestServers.start("explicit", true)) {
      FTPSClient client = ftps(server, false);
      assertThat(client.storeFile("x.bin", new ByteArrayInputStream("x".getBytes()))).isFalse();
      assertThat(client.getReplyCode()).isBetween(400, 599);
      client.disconnect();
    }
  }
}

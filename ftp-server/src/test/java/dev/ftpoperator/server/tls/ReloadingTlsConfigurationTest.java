package dev.ftpoperator.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingTlsConfigurationTest {

  private static final java.util.List<String> BOTH = java.util.List.of("TLSv1.2", "TLSv1.3");
  private static final HandshakeRules NO_RULES = new HandshakeRules(java.util.List.of());

  @TempDir Path dir;

  private static BigInteger servedSerial(ReloadingTlsConfiguration tls) throws Exception {
    try (SSLServerSocket server =
        (SSLServerSocket) tls.getSSLContext().getServerSocketFactory().createServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                  accepted.startHandshake();
                } catch (Exception ignored) {
                  // the client side reports problems
                }
              });
      acceptor.start();
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(
          null,
          new javax.net.ssl.TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()},
          null);
      try (SSLSocket socket =
          (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
        socket.startHandshake();
        acceptor.join(5000);
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
      }
    }
  }

  @Test
  void servesTheCertificateFromPemFilesWithAnRsaPkcs8Key() throws Exception {
    TestCertificates.writeRsa(dir, 11);
    ReloadingTlsConfiguration tls =
        new ReloadingTlsConfiguration(
            dir.resolve("tls.crt"), dir.resolve("tls.key"), BOTH, NO_RULES);
    assertThat(servedSerial(tls)).isEqualTo(11);
  }

  @Test
  void acceptsAnEcKeyInSec1Form() throws Exception {
    TestCertificates.writeEc(dir, 12);
    assertThat(Files.readString(dir.resolve("tls.key"))).contains("BEGIN EC PRIVATE KEY");
    ReloadingTlsConfiguration tls =
        new ReloadingTlsConfiguration(
            dir.resolve("tls.crt"), dir.resolve("tls.key"), BOTH, NO_RULES);
    assertThat(servedSerial(tls)).isEqualTo(12);
  }

  @Test
  void reloadsWhenTheFilesChange() throws Exception {
    TestCertificates.writeRsa(dir, 21);
    ReloadingTlsConfiguration tls =
        new ReloadingTlsConfiguration(
            dir.resolve("tls.crt"), dir.resolve("tls.key"), BOTH, NO_RULES);
    tls.reloadIfChanged();
    assertThat(servedSerial(tls)).isEqualTo(21);
    TestCertificates.writeRsa(dir, 22);
    tls.reloadIfChanged();
    assertThat(servedSerial(tls)).isEqualTo(22);
  }

  @Test
  void keepsThePreviousCertificateWhenTheNewFilesAreBroken() throws Exception {
    TestCertificates.writeRsa(dir, 31);
    ReloadingTlsConfiguration tls =
        new ReloadingTlsConfiguration(
            dir.resolve("tls.crt"), dir.resolve("tls.key"), BOTH, NO_RULES);
    Files.writeString(dir.resolve("tls.key"), "garbage");
    tls.reloadIfChanged();
    assertThat(servedSerial(tls)).isEqualTo(31);
  }

  @Test
  void offersOnlyTls12AndTls13() throws Exception {
    TestCertificates.writeRsa(dir, 41);
    ReloadingTlsConfiguration tls =
        new ReloadingTlsConfiguration(
            dir.resolve("tls.crt"), dir.resolve("tls.key"), BOTH, NO_RULES);
    assertThat(tls.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
  }

  @Test
  void refusesToStartWithoutAKey() throws Exception {
    TestCertificates.writeRsa(dir, 51);
    Files.writeString(dir.resolve("tls.key"), "");
    assertThatThrownBy(
            () ->
                new ReloadingTlsConfiguration(
                    dir.resolve("tls.crt"), dir.resolve("tls.key"), BOTH, NO_RULES))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("private key");
  }
}

package dev.ftpoperator.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.server.FtpTestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * ALPACA: a TLS client that offers another application protocol (a browser's http/1.1) or names
 * another server gets a fatal alert instead of an FTP session; FTP clients (no ALPN, or ALPN ftp)
 * are served. JSSE clients on both the explicit (AUTH TLS) and the implicit port.
 */
class CrossProtocolHandshakeTest {

  private static FtpTestServer start(String mode, String serverNames) {
    Map<String, String> env = new HashMap<>();
    env.put("FTP_TLS_MODE", mode);
    if (serverNames != null) {
      env.put("FTP_TLS_SERVER_NAMES", serverNames);
    }
    return FtpTestServer.start(
        env,
        2,
        root -> {
          TestCertificates.writeRsa(root.resolve("tls"), 7);
          env.put("FTP_TLS_CERT_FILE", root.resolve("tls/tls.crt").toString());
          env.put("FTP_TLS_KEY_FILE", root.resolve("tls/tls.key").toString());
        });
  }

  /** Handshakes with {@code alpn} (none when empty) and {@code sni} (none when null). */
  private static SSLSocket handshake(
      FtpTestServer server, boolean implicit, List<String> alpn, String sni) throws Exception {
    Socket plain = new Socket(FtpTestServer.HOST, server.port());
    plain.setSoTimeout(5000);
    if (!implicit) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith("220");
      OutputStream out = plain.getOutputStream();
      out.write("AUTH TLS\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).startsWith("234");
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory().createSocket(plain, FtpTestServer.HOST, server.port(), true);
    SSLParameters params = tls.getSSLParameters();
    if (!alpn.isEmpty()) {
      params.setApplicationProtocols(alpn.toArray(new String[0]));
    }
    if (sni != null) {
      params.setServerNames(List.of(new SNIHostName(sni)));
    }
    tls.setSSLParameters(params);
    tls.startHandshake();
    return tls;
  }

  private static String firstLine(SSLSocket tls) throws Exception {
    return new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
  }

  @Test
  void anHttpAlpnOfferIsRefusedWithNoApplicationProtocolOnBothPorts() throws Exception {
    for (String mode : List.of("explicit", "implicit")) {
      try (FtpTestServer server = start(mode, null)) {
        boolean implicit = mode.equals("implicit");
        assertThatThrownBy(() -> handshake(server, implicit, List.of("http/1.1"), null))
            .as(mode)
            .isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("no_application_protocol");
        try (SSLSocket ftp = handshake(server, implicit, List.of("http/1.1", "ftp"), null)) {
          assertThat(ftp.getApplicationProtocol()).as(mode).isEqualTo("ftp");
        }
        try (SSLSocket none = handshake(server, implicit, List.of(), null)) {
          assertThat(none.getApplicationProtocol()).as(mode).isEmpty();
          if (implicit) {
            assertThat(firstLine(none)).startsWith("220");
          }
        }
      }
    }
  }

  @Test
  void withServerNamesConfiguredAnotherSniNameIsRefusedAndNoSniStillWorks() throws Exception {
    try (FtpTestServer server = start("implicit", "ftp.example.org, files.example.org")) {
      assertThatThrownBy(() -> handshake(server, true, List.of(), "www.example.org"))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("unrecognized_name");
      try (SSLSocket named = handshake(server, true, List.of(), "FTP.example.org")) {
        assertThat(firstLine(named)).startsWith("220");
      }
      try (SSLSocket unnamed = handshake(server, true, List.of("ftp"), null)) {
        assertThat(firstLine(unnamed)).startsWith("220");
      }
    }
  }

  @Test
  void withoutServerNamesAnySniIsAccepted() throws Exception {
    try (FtpTestServer server = start("explicit", null);
        SSLSocket tls = handshake(server, false, List.of("ftp"), "anything.example.net")) {
      assertThat(tls.getSession().isValid()).isTrue();
    }
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

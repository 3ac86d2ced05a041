package dev.ftpoperator.server.tls;

import dev.ftpoperator.server.FtpTestServer;
import java.util.HashMap;
import java.util.Map;

/** Test servers with FTPS on, using a certificate made for them. */
public final class TlsTestServers {

  private TlsTestServers() {}

  public static FtpTestServer start(String mode, boolean sessionReuseRequired) {
    Map<String, String> env = new HashMap<>();
    env.put("FTP_TLS_MODE", mode);
    env.put("FTP_TLS_SESSION_REUSE_REQUIRED", Boolean.toString(sessionReuseRequired));
    return FtpTestServer.start(
        env,
        4,
        root -> {
          TestCertificates.writeRsa(root.resolve("tls"), 7);
          env.put("FTP_TLS_CERT_FILE", root.resolve("tls/tls.crt").toString());
          env.put("FTP_TLS_KEY_FILE", root.resolve("tls/tls.key").toString());
        });
  }
}

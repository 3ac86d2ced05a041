package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALPACA as a cross-protocol attacker would try it: OpenSSL's client against the server started as
 * its own process (explicit FTPS, strict SNI), offering a browser's ALPN or another server's name.
 */
class OpensslHandshakeTest {

  private static Process process;
  @TempDir static Path root;
  private static int control;

  @BeforeAll
  static void launch() throws Exception {
    ExternalTool.require("openssl");
    Files.createDirectories(root.resolve("users"));
    Files.writeString(root.resolve("users/alice"), "secret\n");
    TestCertificates.writeRsa(root.resolve("tls"), 11);
    PassivePortRange ports = FreePorts.range(2);
    control = ServerProcessTest.freePort();
    int http = ServerProcessTest.freePort();
    Map<String, String> env = FtpTestServer.environment(root, ports);
    env.put("FTP_CONTROL_PORT", Integer.toString(control));
    env.put("FTP_HTTP_PORT", Integer.toString(http));
    env.put("FTP_TLS_MODE", "explicit");
    env.put("FTP_TLS_CERT_FILE", root.resolve("tls/tls.crt").toString());
    env.put("FTP_TLS_KEY_FILE", root.resolve("tls/tls.key").toString());
    env.put("FTP_TLS_SERVER_NAMES", "ftp.example.org");
    process = ServerProcessTest.launch(root, env, http);
  }

  /** Before JUnit deletes the class's directory: the process writes its log there. */
  @AfterAll
  static void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static ExternalTool.Result sClient(String... extra) throws Exception {
    String[] command = {
      "openssl", "s_client", "-starttls", "ftp", "-connect", "127.0.0.1:" + control, "-brief"
    };
    String[] all = new String[command.length + extra.length];
    System.arraycopy(command, 0, all, 0, command.length);
    System.arraycopy(extra, 0, all, command.length, extra.length);
    return ExternalTool.run(root, all);
  }

  @Test
  void anHttpAlpnOfferEndsInTheNoApplicationProtocolAlert() throws Exception {
    ExternalTool.Result http = sClient("-alpn", "http/1.1", "-servername", "ftp.example.org");
    assertThat(http.exitCode()).as(http.output()).isNotZero();
    assertThat(http.output()).contains("no application protocol");
  }

  @Test
  void aForeignServerNameEndsInTheUnrecognizedNameAlert() throws Exception {
    ExternalTool.Result foreign = sClient("-servername", "www.example.org");
    assertThat(foreign.exitCode()).as(foreign.output()).isNotZero();
    assertThat(foreign.output()).contains("unrecognized name");
  }

  @Test
  void anFtpClientWithAlpnFtpOrNoneAndTheRightNameCompletesTheHandshake() throws Exception {
    ExternalTool.Result ftp = sClient("-alpn", "ftp", "-servername", "ftp.example.org");
    assertThat(ftp.output()).contains("CONNECTION ESTABLISHED");
    ExternalTool.Result none = sClient("-noservername");
    assertThat(none.output()).contains("CONNECTION ESTABLISHED");
  }
}

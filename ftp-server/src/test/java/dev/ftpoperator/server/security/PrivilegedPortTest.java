package dev.ftpoperator.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/**
 * RFC 2577: active mode must not reach a privileged port, not even at the client's own address (an
 * FTP server on a shared host would otherwise connect to a local SMTP or rsh port for anyone).
 */
class PrivilegedPortTest {

  private static final int PRIVILEGED = 1023;

  @Test
  void portAndEprtToAPortBelow1024AreRefusedAndNothingConnects() throws Exception {
    ServerSocket victim;
    try {
      victim = new ServerSocket();
      victim.bind(new InetSocketAddress(InetAddress.getByName(FtpTestServer.HOST), PRIVILEGED), 1);
    } catch (IOException notRoot) {
      assumeTrue(false, "binding port " + PRIVILEGED + " needs root: " + notRoot.getMessage());
      return;
    }
    try (victim;
        FtpTestServer server = FtpTestServer.start()) {
      victim.setSoTimeout(1000);
      FTPClient client = server.alice();
      client.storeFile("note.txt", new ByteArrayInputStream("x".getBytes()));
      assertThat(
              client.sendCommand(
                  "PORT", "127,0,0,1," + (PRIVILEGED >> 8) + "," + (PRIVILEGED & 0xff)))
          .isEqualTo(504);
      assertThat(client.sendCommand("RETR", "note.txt")).isEqualTo(503);
      assertThat(client.sendCommand("EPRT", "|1|127.0.0.1|" + PRIVILEGED + "|")).isEqualTo(504);
      assertThat(client.sendCommand("LIST")).isEqualTo(503);
      assertThat(client.sendCommand("PORT", "127,0,0,1,0,21")).isEqualTo(504);
      try {
        victim.accept().close();
        throw new AssertionError("the server connected to port " + PRIVILEGED);
      } catch (SocketTimeoutException expected) {
        // nothing arrived
      }
      // an unprivileged port still works
      client.enterLocalActiveMode();
      assertThat(client.listNames()).contains("note.txt");
      client.disconnect();
    }
  }
}

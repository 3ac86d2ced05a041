package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RawControl;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A command that blocks (an upload whose client sends nothing yet) holds only its own session:
 * other sessions' commands, including those that run on the I/O thread, are answered meanwhile, and
 * its own later commands wait for it, in order.
 */
class SlowCommandTest {

  @Test
  void aBlockedUploadHoldsOnlyItsOwnSessionAndItsNextCommandWaitsForIt() throws Exception {
    try (FtpTestServer server = FtpTestServer.start();
        RawControl slow = RawControl.alice(server)) {
      String epsv = slow.command("EPSV");
      int port = Integer.parseInt(epsv.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
      try (Socket data = new Socket(FtpTestServer.HOST, port)) {
        assertThat(slow.command("STOR slow.bin")).startsWith("150");
        data.getOutputStream().write(new byte[] {1, 2, 3});
        // behind the running upload: must not be answered before it ends
        slow.send("NOOP\r\n");

        try (RawControl other = RawControl.open(server)) {
          assertThat(other.command("USER alice")).startsWith("331");
          assertThat(other.command("PASS secret")).startsWith("230");
          assertThat(other.command("TYPE I")).startsWith("200");
          assertThat(other.command("NOOP")).startsWith("200");
          assertThat(other.command("PWD")).startsWith("257");
          assertThat(other.command("CWD /")).startsWith("250");
        }

        slow.readTimeout(500);
        assertThatThrownBy(slow::reply).isInstanceOf(SocketTimeoutException.class);
      }
      slow.readTimeout(10_000);
      assertThat(slow.reply()).startsWith("226");
      assertThat(slow.reply()).startsWith("200");
    }
  }
}

package dev.ftpoperator.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RawControl;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** USER and QUIT answer as MINA's do, and still end the session where MINA's end it. */
class UserAndQuitTest {

  @Test
  void anyNameIsAskedForItsPasswordSoNamesCannotBeProbed() throws Exception {
    try (FtpTestServer server = FtpTestServer.start();
        RawControl control = RawControl.open(server)) {
      assertThat(control.command("USER nobody-here")).startsWith("331");
      assertThat(control.command("USER alice")).startsWith("331");
      assertThat(control.command("PASS secret")).startsWith("230");
      assertThat(control.command("USER alice")).startsWith("230");
    }
  }

  @Test
  void anonymousIsRefusedAndTheSessionClosedWhenItIsDisabled() throws Exception {
    try (FtpTestServer server = FtpTestServer.start();
        RawControl control = RawControl.open(server)) {
      assertThat(control.command("USER anonymous")).startsWith("530");
      assertThat(control.closedByServer()).isTrue();
    }
  }

  @Test
  void anonymousIsAskedForAPasswordWhenEnabled() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_ANONYMOUS_ENABLED", "true"));
        RawControl control = RawControl.open(server)) {
      assertThat(control.command("USER anonymous")).startsWith("331");
      assertThat(control.command("PASS guest@")).startsWith("230");
    }
  }

  @Test
  void userWithoutANameAndAnotherNameOnceLoggedInCloseTheSession() throws Exception {
    try (FtpTestServer server = FtpTestServer.start()) {
      try (RawControl control = RawControl.open(server)) {
        assertThat(control.command("USER")).startsWith("501");
        assertThat(control.closedByServer()).isTrue();
      }
      try (RawControl control = RawControl.alice(server)) {
        assertThat(control.command("USER bob")).startsWith("530");
        assertThat(control.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void quitIsAnsweredThenTheSessionClosed() throws Exception {
    try (FtpTestServer server = FtpTestServer.start();
        RawControl control = RawControl.alice(server)) {
      assertThat(control.command("EPSV")).startsWith("229");
      assertThat(control.command("QUIT")).startsWith("221");
      assertThat(control.closedByServer()).isTrue();
    }
  }
}

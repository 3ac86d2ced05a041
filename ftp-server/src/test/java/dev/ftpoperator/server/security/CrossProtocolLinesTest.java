package dev.ftpoperator.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RawControl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A browser (or any HTTP client) lured to the control port, and other cross-protocol payloads: the
 * server hangs up instead of answering line after line of them.
 */
class CrossProtocolLinesTest {

  private static FtpTestServer server;

  @BeforeAll
  static void start() {
    server = FtpTestServer.start(Map.of("FTP_MAX_UNKNOWN_COMMANDS", "3"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anHttpRequestLineBeforeLoginClosesTheConnection() throws Exception {
    for (String request :
        List.of("GET / HTTP/1.1", "POST /upload HTTP/1.0", "PRI * HTTP/2.0", "get /x http/1.1")) {
      try (RawControl control = RawControl.open(server)) {
        String reply = control.command(request);
        assertThat(reply).as(request).startsWith("5");
        assertThat(control.closedByServer()).as(request).isTrue();
      }
    }
  }

  @Test
  void anHttpHeaderLineBeforeLoginClosesTheConnection() throws Exception {
    for (String header :
        List.of("Host: ftp.example.org", "User-Agent: Mozilla/5.0", "Content-Length: 12")) {
      try (RawControl control = RawControl.open(server)) {
        control.command(header);
        assertThat(control.closedByServer()).as(header).isTrue();
      }
    }
  }

  @Test
  void anHttpRequestLineAfterLoginIsAnswered500AndClosesTheConnection() throws Exception {
    try (RawControl control = RawControl.alice(server)) {
      assertThat(control.command("GET /index.html HTTP/1.1")).startsWith("500");
      assertThat(control.closedByServer()).isTrue();
    }
  }

  @Test
  void aRunOfUnknownCommandsBeforeLoginClosesTheConnectionAtTheThreshold() throws Exception {
    try (RawControl control = RawControl.open(server)) {
      for (int i = 0; i < 3; i++) {
        assertThat(control.command("EHLO attacker.example")).startsWith("5");
      }
      assertThat(control.command("RCPT TO <victim@example.org>")).startsWith("421");
      assertThat(control.closedByServer()).isTrue();
    }
  }

  @Test
  void knownCommandsAndAFewUnknownOnesBeforeLoginKeepTheConnection() throws Exception {
    try (RawControl control = RawControl.open(server)) {
      assertThat(control.command("FEAT")).doesNotStartWith("421");
      assertThat(control.command("CLNT some-client 1.0")).startsWith("5");
      assertThat(control.command("XYZZY")).startsWith("5");
      assertThat(control.command("SYST")).doesNotStartWith("421");
      assertThat(control.command("USER alice")).startsWith("331");
      assertThat(control.command("PASS secret")).startsWith("230");
      // after login unknown commands are only answered: clients probe extensions
      for (int i = 0; i < 10; i++) {
        assertThat(control.command("XYZZY")).startsWith("5");
      }
      assertThat(control.command("NOOP")).startsWith("200");
    }
  }
}

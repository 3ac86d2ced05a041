package dev.ftpoperator.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bounce, hijack and path traversal attempts against one server, each from a fresh session. */
class AttackResistanceTest {

  private static FtpTestServer server;

  @BeforeAll
  static void start() {
    server = FtpTestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void portToAnAddressOtherThanTheClientsIsRefused() throws Exception {
    try (ServerSocket victim = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      victim.setSoTimeout(1000);
      FTPClient client = server.alice();
      client.storeFile("bounce.txt", new ByteArrayInputStream("x".getBytes()));
      int port = victim.getLocalPort();
      assertThat(client.sendCommand("PORT", "127,0,0,2," + (port >> 8) + "," + (port & 0xff)))
          .isEqualTo(501);
      assertThat(client.sendCommand("EPRT", "|1|127.0.0.2|" + port + "|")).isEqualTo(501);
      assertThat(client.sendCommand("RETR", "bounce.txt")).isEqualTo(503);
      try {
        victim.accept().close();
        throw new AssertionError("the server connected to the bounce target");
      } catch (SocketTimeoutException expected) {
        // nothing reached the victim
      }
      client.disconnect();
    }
  }

  @Test
  void activeModeCanBeSwitchedOff() throws Exception {
    try (FtpTestServer passiveOnly = FtpTestServer.start(Map.of("FTP_ACTIVE_ENABLED", "false"))) {
      FTPClient client = passiveOnly.alice();
      assertThat(client.sendCommand("PORT", "127,0,0,1,200,10")).isEqualTo(501);
      assertThat(client.sendCommand("EPRT", "|1|127.0.0.1|51210|")).isEqualTo(501);
      client.disconnect();
    }
  }

  @Test
  void aPassiveDataConnectionFromAnotherIpIsRefusedAndTheRealClientStillGetsTheFile()
      throws Exception {
    FTPClient client = server.alice();
    byte[] secret = "the real client's data".getBytes();
    client.storeFile("hijack.txt", new ByteArrayInputStream(secret));
    assertThat(client.pasv()).isEqualTo(227);
    Matcher m =
        Pattern.compile("\\(\\d+,\\d+,\\d+,\\d+,(\\d+),(\\d+)\\)").matcher(client.getReplyString());
    assertThat(m.find()).isTrue();
    int port = Integer.parseInt(m.group(1)) * 256 + Integer.parseInt(m.group(2));

    try (Socket attacker = new Socket()) {
      attacker.bind(new InetSocketAddress("127.0.0.2", 0));
      attacker.connect(new InetSocketAddress(FtpTestServer.HOST, port), 2000);
      assertThat(client.sendCommand("RETR", "hijack.txt")).isEqualTo(150);
      attacker.setSoTimeout(3000);
      assertThat(attacker.getInputStream().readAllBytes()).isEmpty();

      try (Socket legit = new Socket(FtpTestServer.HOST, port);
          InputStream in = legit.getInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo(secret);
      }
      assertThat(client.getReply()).isEqualTo(226);
    }
    assertThat(server.service().metrics().prometheusText())
        .containsPattern("ftp_data_connections_rejected_total [1-9]");
    client.disconnect();
  }

  @Test
  void dotDotAndAbsolutePathsNeverLeaveTheHome() throws Exception {
    Files.writeString(server.dataDir().resolve("outside.txt"), "not yours");
    FTPClient client = server.alice();
    assertThat(client.changeWorkingDirectory("../../..")).isTrue();
    assertThat(client.printWorkingDirectory()).isEqualTo("/");
    assertThat(client.retrieveFile("../outside.txt", new ByteArrayOutputStream())).isFalse();
    assertThat(client.retrieveFile("/../outside.txt", new ByteArrayOutputStream())).isFalse();
    assertThat(client.retrieveFile("/etc/passwd", new ByteArrayOutputStream())).isFalse();
    assertThat(client.retrieveFile("..\\outside.txt", new ByteArrayOutputStream())).isFalse();
    assertThat(client.storeFile("../planted.txt", new ByteArrayInputStream("x".getBytes())))
        .isTrue();
    // the upload landed inside the home: '..' at the root stays at the root
    assertThat(server.dataDir().resolve("planted.txt")).doesNotExist();
    assertThat(server.dataDir().resolve("alice/planted.txt")).exists();
    client.disconnect();
  }

  @Test
  void aSymlinkPointingOutsideTheHomeLeadsNowhere() throws Exception {
    FTPClient client = server.alice();
    Files.createDirectories(server.root().resolve("elsewhere"));
    Files.writeString(server.root().resolve("elsewhere/secret.txt"), "secret");
    Files.createSymbolicLink(
        server.dataDir().resolve("alice/escape"), server.root().resolve("elsewhere"));
    Files.createSymbolicLink(
        server.dataDir().resolve("alice/escape-file"),
        server.root().resolve("elsewhere/secret.txt"));

    assertThat(client.changeWorkingDirectory("escape")).isFalse();
    assertThat(client.retrieveFile("escape/secret.txt", new ByteArrayOutputStream())).isFalse();
    assertThat(client.retrieveFile("escape-file", new ByteArrayOutputStream())).isFalse();
    assertThat(client.storeFile("escape/new.txt", new ByteArrayInputStream("x".getBytes())))
        .isFalse();
    assertThat(client.listNames()).doesNotContain("escape", "escape-file");
    assertThat(server.root().resolve("elsewhere/new.txt")).doesNotExist();
    client.disconnect();
  }

  @Test
  void anOverlongCommandClosesTheConnection() throws Exception {
    FTPClient client = server.alice();
    try {
      client.sendCommand("NOOP " + "x".repeat(5000));
      assertThat(client.sendNoOp()).isFalse();
    } catch (IOException closed) {
      // the server hung up, as it should
    }
  }
}

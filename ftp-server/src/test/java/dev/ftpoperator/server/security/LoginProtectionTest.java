package dev.ftpoperator.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RecordingHandler;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.Test;

/** Brute force, anonymous access, read-only users, session limits and login/idle timeouts. */
class LoginProtectionTest {

  /**
   * commons-net reports a 421 greeting as a closed connection; the reply text is still readable.
   */
  static String refusedGreeting(FtpTestServer server) throws Exception {
    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    assertThatThrownBy(() -> client.connect(FtpTestServer.HOST, server.port()))
        .isInstanceOf(FTPConnectionClosedException.class)
        .hasMessageContaining("421");
    return client.getReplyString();
  }

  /** Waits for the server's unsolicited 421 on an open session. */
  static String closedBy421(FTPClient client) {
    assertThatThrownBy(client::getReply)
        .isInstanceOf(FTPConnectionClosedException.class)
        .hasMessageContaining("421");
    return client.getReplyString();
  }

  @Test
  void anIpThatFailsRepeatedlyIsBannedAndGets421() throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(
            Map.of("FTP_BAN_MAX_FAILURES", "3", "FTP_LOGIN_FAILURE_DELAY_MS", "0"))) {
      for (int i = 0; i < 3; i++) {
        FTPClient attacker = server.connect();
        assertThat(attacker.login("alice", "guess" + i)).isFalse();
        attacker.disconnect();
      }
      // the ban is recorded after the 530 reply has left: the client may be faster than that
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> server.service().metrics().prometheusText().contains("ftp_ip_bans_total 1"));
      assertThat(refusedGreeting(server)).contains("failed logins");
    }
  }

  @Test
  void aSessionIsClosedAfterThreeFailedLogins() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_LOGIN_FAILURE_DELAY_MS", "0"))) {
      FTPClient client = server.connect();
      for (int i = 0; i < 3; i++) {
        assertThat(client.login("alice", "nope")).isFalse();
      }
      await()
          .atMost(Duration.ofSeconds(3))
          .until(
              () -> {
                try {
                  return !client.sendNoOp();
                } catch (Exception closed) {
                  return true;
                }
              });
    }
  }

  /** A control connection driven line by line, so a test can leave a reply outstanding. */
  static final class RawControl implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;

    RawControl(FtpTestServer server) throws IOException {
      socket = new Socket(FtpTestServer.HOST, server.port());
      socket.setSoTimeout(10_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    }

    void send(String command) throws IOException {
      out.write(command + "\r\n");
      out.flush();
    }

    /** The final line of the next reply (multi-line replies end with "code SP text"). */
    String reply() throws IOException {
      String line;
      do {
        line = in.readLine();
        assertThat(line).as("connection closed before a reply").isNotNull();
      } while (line.length() < 4 || line.charAt(3) != ' ');
      return line;
    }

    /** Has anything arrived that was not read yet? */
    boolean replyWaiting() throws IOException {
      return in.ready();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static long failedLogins(FtpTestServer server) {
    String metrics = server.service().metrics().prometheusText();
    Matcher m =
        Pattern.compile("(?m)^ftp_logins_total\\{result=\"failed\"} (\\d+)$").matcher(metrics);
    assertThat(m.find()).as(metrics).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void delayedLoginRefusalsHoldNoWorkerThread() throws Exception {
    // Two worker threads, and ten refusals delayed far beyond the test's length. A server that
    // slept through each delay on a worker (MINA's own way) would have no thread left for an
    // eleventh client; this one answers it while all ten refusals are still outstanding.
    try (FtpTestServer server =
        FtpTestServer.start(
            Map.of(
                "FTP_WORKER_THREADS",
                "2",
                "FTP_LOGIN_FAILURE_DELAY_MS",
                Long.toString(Duration.ofHours(1).toMillis()),
                "FTP_BAN_MAX_FAILURES",
                "0"))) {
      List<RawControl> refused = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          RawControl client = new RawControl(server);
          refused.add(client);
          assertThat(client.reply()).startsWith("220");
          client.send("USER alice");
          assertThat(client.reply()).startsWith("331");
          client.send("PASS wrong");
        }
        // the server has handled all ten PASS commands (counted after the refusal is written)
        await().atMost(Duration.ofSeconds(20)).until(() -> failedLogins(server) == 10);

        FTPClient other = server.alice();
        assertThat(other.sendNoOp()).isTrue();
        other.logout();
        other.disconnect();

        for (RawControl client : refused) {
          assertThat(client.replyWaiting()).as("a refusal that should still be delayed").isFalse();
        }
      } finally {
        for (RawControl client : refused) {
          client.close();
        }
      }
    }
  }

  @Test
  void aRefusedLoginIsAnsweredWith530AfterTheDelayAndLaterRepliesKeepTheirOrder() throws Exception {
    try (FtpTestServer server =
            FtpTestServer.start(
                Map.of("FTP_LOGIN_FAILURE_DELAY_MS", "100", "FTP_BAN_MAX_FAILURES", "0"));
        RawControl client = new RawControl(server)) {
      assertThat(client.reply()).startsWith("220");
      client.send("USER alice");
      assertThat(client.reply()).startsWith("331");
      // sent together: the next command's reply must not overtake the delayed refusal
      client.send("PASS wrong");
      client.send("USER alice");
      assertThat(client.reply()).startsWith("530");
      assertThat(client.reply()).startsWith("331");
      assertThat(failedLogins(server)).isEqualTo(1);
    }
  }

  @Test
  void passwordsNeverAppearInTheLogs() throws Exception {
    List<String> messages = new ArrayList<>();
    Handler capture =
        new RecordingHandler(
            record -> {
              synchronized (messages) {
                messages.add(
                    record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
              }
            });
    Logger root = Logger.getLogger("");
    java.util.logging.Level before = root.getLevel();
    root.setLevel(java.util.logging.Level.ALL);
    root.addHandler(capture);
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_LOGIN_FAILURE_DELAY_MS", "0"))) {
      server.addUser("carol", "Corr3ct-Horse-Battery");
      server.login("carol", "Corr3ct-Horse-Battery").disconnect();
      FTPClient wrong = server.connect();
      wrong.login("carol", "Wr0ng-Guess-Staple");
      wrong.disconnect();
    } finally {
      root.removeHandler(capture);
      root.setLevel(before);
    }
    synchronized (messages) {
      assertThat(messages).isNotEmpty();
      assertThat(String.join("\n", messages))
          .doesNotContain("Corr3ct-Horse-Battery")
          .doesNotContain("Wr0ng-Guess-Staple");
    }
  }

  @Test
  void anonymousIsRefusedByDefault() throws Exception {
    try (FtpTestServer server = FtpTestServer.start()) {
      FTPClient client = server.connect();
      assertThat(client.login("anonymous", "guest@example.org")).isFalse();
      assertThat(client.getReplyCode()).isEqualTo(530);
      client.disconnect();
    }
  }

  @Test
  void anonymousWhenEnabledCanReadButNotWrite() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_ANONYMOUS_ENABLED", "true"))) {
      java.nio.file.Files.createDirectories(server.dataDir().resolve("anonymous"));
      java.nio.file.Files.writeString(server.dataDir().resolve("anonymous/readme.txt"), "public");
      FTPClient client = server.login("anonymous", "guest@example.org");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(client.retrieveFile("readme.txt", out)).isTrue();
      assertThat(out.toString()).isEqualTo("public");
      assertThat(client.storeFile("upload.txt", new ByteArrayInputStream("x".getBytes())))
          .isFalse();
      assertThat(client.makeDirectory("dir")).isFalse();
      assertThat(client.deleteFile("readme.txt")).isFalse();
      client.disconnect();
    }
  }

  @Test
  void aReadOnlyUserCanDownloadButNotChangeAnything() throws Exception {
    try (FtpTestServer server = FtpTestServer.start()) {
      server.addUser("reader", "pw\nreadonly=true\nhome=alice");
      FTPClient alice = server.alice();
      alice.storeFile("report.txt", new ByteArrayInputStream("numbers".getBytes()));
      alice.disconnect();

      FTPClient reader = server.login("reader", "pw");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(reader.retrieveFile("report.txt", out)).isTrue();
      assertThat(reader.storeFile("new.txt", new ByteArrayInputStream("x".getBytes()))).isFalse();
      assertThat(reader.appendFile("report.txt", new ByteArrayInputStream("x".getBytes())))
          .isFalse();
      assertThat(reader.deleteFile("report.txt")).isFalse();
      assertThat(reader.rename("report.txt", "moved.txt")).isFalse();
      assertThat(reader.makeDirectory("dir")).isFalse();
      assertThat(server.dataDir().resolve("alice/report.txt")).hasContent("numbers");
      reader.disconnect();
    }
  }

  @Test
  void sessionsBeyondThePerIpLimitAreRefusedWith421() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_MAX_SESSIONS_PER_IP", "2"))) {
      FTPClient one = server.connect();
      FTPClient two = server.connect();
      assertThat(refusedGreeting(server)).contains("from your address");
      one.disconnect();
      await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                FTPClient again = server.connect();
                again.disconnect();
              });
      two.disconnect();
    }
  }

  @Test
  void sessionsBeyondTheServerLimitAreRefusedWith421() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_MAX_SESSIONS", "1"))) {
      FTPClient one = server.connect();
      assertThat(refusedGreeting(server)).contains("Too many connections to this server");
      one.disconnect();
    }
  }

  @Test
  void aConnectionThatDoesNotLogInInTimeIsClosed() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_LOGIN_TIMEOUT_SECONDS", "1"))) {
      assertThat(closedBy421(server.connect())).contains("Login timeout");
    }
  }

  @Test
  void anIdleSessionIsClosed() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_IDLE_TIMEOUT_SECONDS", "1"))) {
      assertThat(closedBy421(server.alice())).contains("Idle timeout");
    }
  }
}

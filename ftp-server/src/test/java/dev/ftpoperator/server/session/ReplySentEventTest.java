package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RecordingHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/**
 * MINA's logging filter sits after the command dispatch and logs every command it receives and
 * every reply once written: the thread that logs shows where each event was handled.
 */
class ReplySentEventTest {

  private static final Logger MINA_LOGGING =
      Logger.getLogger("org.apache.ftpserver.listener.nio.FtpLoggingFilter");

  private record Event(String thread, String message) {}

  @Test
  void passwordsAreCheckedOnWorkersAndWrittenRepliesStayOnTheIoThread() throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    Handler recorder =
        new RecordingHandler(
            record -> {
              events.add(
                  new Event(Thread.currentThread().getName(), String.valueOf(record.getMessage())));
            });
    Level before = MINA_LOGGING.getLevel();
    MINA_LOGGING.setLevel(Level.INFO);
    MINA_LOGGING.addHandler(recorder);
    try (FtpTestServer server = FtpTestServer.start()) {
      FTPClient client = server.alice();
      assertThat(client.sendNoOp()).isTrue();
      client.logout();
      client.disconnect();
    } finally {
      MINA_LOGGING.removeHandler(recorder);
      MINA_LOGGING.setLevel(before);
    }
    // other test classes' servers log here too: the rules hold for every server in this JVM (a
    // command such as NOOP runs on either thread, see CommandDispatchTest)
    List<Event> received =
        events.stream().filter(e -> e.message().startsWith("RECEIVED: PASS")).toList();
    List<Event> sent = events.stream().filter(e -> e.message().startsWith("SENT")).toList();
    assertThat(received).isNotEmpty();
    assertThat(sent).isNotEmpty();
    assertThat(received).allSatisfy(e -> assertThat(e.thread()).doesNotStartWith("NioProcessor"));
    assertThat(sent).allSatisfy(e -> assertThat(e.thread()).startsWith("NioProcessor"));
  }
}

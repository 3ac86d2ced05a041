package dev.ftpoperator.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RecordingHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Changes the whole JVM's logging configuration: no other test class runs meanwhile. */
@Isolated
class LogSetupTest {

  @AfterEach
  void restoreTheJdkLoggingDefaults() throws Exception {
    LogManager.getLogManager().readConfiguration();
  }

  /** Through garbage collections during the start: ServerProcessTest. */
  @Test
  void belowDebugALoginLogsOnlyThisServersLinesAndNoneOfMinas() throws Exception {
    LogSetup.install("info");
    List<LogRecord> logged = loginRecorded();
    assertThat(logged)
        .extracting(r -> r.getLoggerName() + ": " + r.getMessage())
        .noneMatch(line -> line.startsWith("org.apache.ftpserver"))
        .anyMatch(line -> line.contains("login ok"));
    assertThat(LogSetup.commandLogEnabled()).isFalse();
  }

  @Test
  void debugLogsEveryCommandThroughMinasCommandLog() throws Exception {
    LogSetup.install("debug");
    List<LogRecord> logged = loginRecorded();
    assertThat(logged)
        .anySatisfy(r -> assertThat(r.getMessage()).isEqualTo("RECEIVED: USER alice"));
    assertThat(LogSetup.commandLogEnabled()).isTrue();
  }

  /** The records of one login and logout, at every level the configuration lets through. */
  private static List<LogRecord> loginRecorded() throws Exception {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    RecordingHandler recorder = new RecordingHandler(logged::add);
    Logger root = Logger.getLogger("");
    root.addHandler(recorder);
    try (FtpTestServer server = FtpTestServer.start()) {
      FTPClient client = server.alice();
      client.logout();
      client.disconnect();
    } finally {
      root.removeHandler(recorder);
    }
    return logged;
  }
}

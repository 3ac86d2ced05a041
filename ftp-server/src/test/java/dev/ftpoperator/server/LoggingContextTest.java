package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * MINA's logging-context filters are not in a control session's chain, not even while the session
 * is created: MINA's logging filter, which logs every event, finds no session details in the MDC
 * (only the session id that MINA's handler puts there itself).
 */
class LoggingContextTest {

  private static final Logger MINA_LOGGING =
      Logger.getLogger("org.apache.ftpserver.listener.nio.FtpLoggingFilter");

  /** What MINA's MdcInjectionFilter fills in. */
  private static final String[] SESSION_DETAILS = {
    "handlerClass",
    "remoteAddress",
    "remoteIp",
    "remotePort",
    "localAddress",
    "localIp",
    "localPort"
  };

  private record Logged(String message, Map<String, String> context) {}

  @Test
  void noEventOfASessionFillsTheLoggingContext() throws Exception {
    List<Logged> logged = new CopyOnWriteArrayList<>();
    Handler recorder =
        new RecordingHandler(
            record -> {
              Map<String, String> context = MDC.getCopyOfContextMap();
              logged.add(
                  new Logged(
                      String.valueOf(record.getMessage()), context == null ? Map.of() : context));
            });
    Level before = MINA_LOGGING.getLevel();
    MINA_LOGGING.setLevel(Level.INFO);
    MINA_LOGGING.addHandler(recorder);
    try (FtpTestServer server = FtpTestServer.start()) {
      FTPClient client = server.alice();
      client.logout();
      client.disconnect();
    } finally {
      MINA_LOGGING.removeHandler(recorder);
      MINA_LOGGING.setLevel(before);
    }
    assertThat(logged).anySatisfy(l -> assertThat(l.message()).startsWith("CREATED"));
    assertThat(logged).anySatisfy(l -> assertThat(l.message()).startsWith("RECEIVED: PASS"));
    assertThat(logged)
        .allSatisfy(
            l -> assertThat(l.context()).as(l.message()).doesNotContainKeys(SESSION_DETAILS));
  }
}

package dev.ftpoperator.server.ops;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Routes java.util.logging (and through slf4j-jdk14, MINA's logs) to stderr as JSON lines. */
public final class LogSetup {

  /** The logger of MINA's filter that logs every command, reply and session event. */
  private static final String COMMAND_LOG = "org.apache.ftpserver.listener.nio.FtpLoggingFilter";

  private LogSetup() {}

  /** Whether MINA's command log writes anything (FTP_LOG_LEVEL=debug, or no setup at all). */
  public static boolean commandLogEnabled() {
    return Logger.getLogger(COMMAND_LOG).isLoggable(Level.INFO);
  }

  /** Must run before anything logs, so the JDK picks our LogManager. */
  public static void useShutdownSafeLogManager() {
    System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
  }

  /**
   * The levels go into the LogManager's configuration, not onto Logger objects: the LogManager
   * holds a logger only weakly until something logs through it, so a level set on one that a
   * garbage collection takes before MINA asks for it is gone, and MINA's per-request INFO lines
   * come back. A configured level is applied to each logger as it is made, and a configured parent
   * is made with its first child.
   *
   * @param level FTP_LOG_LEVEL: error, warn, info or debug
   */
  public static void install(String level) {
    Level jul =
        switch (level.toLowerCase(Locale.ROOT)) {
          case "error" -> Level.SEVERE;
          case "warn", "warning" -> Level.WARNING;
          case "debug" -> Level.FINE;
          default -> Level.INFO;
        };
    // MINA logs every command and reply at INFO; that is per-request noise, keep it for debug
    String mina = (jul == Level.FINE ? Level.FINE : Level.WARNING).getName();
    List<String> minaLoggers =
        List.of(COMMAND_LOG, "org.apache.ftpserver.command", "org.apache.ftpserver.impl");
    Properties levels = new Properties();
    levels.setProperty(".level", jul.getName());
    for (String logger : minaLoggers) {
      levels.setProperty(logger + ".level", mina);
    }
    try {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      levels.store(text, null);
      // drops every handler, the JDK's console handler on the root too
      LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(text.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory logging configuration", e);
    }
    // a logger made before this (in a test JVM) hangs under the root: making its configured parent
    // now moves it under that
    minaLoggers.forEach(Logger::getLogger);
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new JsonLogFormatter());
    console.setLevel(jul);
    Logger.getLogger("").addHandler(console);
    ShutdownSafeLogManager.markConfigured();
  }
}

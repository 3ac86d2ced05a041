package dev.ftpoperator.server.ops;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Routes java.util.logging (and through slf4j-jdk14, MINA's logs) to stderr as JSON lines. */
public final class LogSetup {

  private LogSetup() {}

  /** Must run before anything logs, so the JDK picks our LogManager. */
  public static void useShutdownSafeLogManager() {
    System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
  }

  /**
   * @param level FTP_LOG_LEVEL: error, warn, info or debug
   */
  public static void install(String level) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    Level jul =
        switch (level.toLowerCase(Locale.ROOT)) {
          case "error" -> Level.SEVERE;
          case "warn", "warning" -> Level.WARNING;
          case "debug" -> Level.FINE;
          default -> Level.INFO;
        };
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new JsonLogFormatter());
    console.setLevel(jul);
    root.addHandler(console);
    root.setLevel(jul);
    // MINA logs every command and reply at INFO; that is per-request noise, keep it for debug
    Logger.getLogger("org.apache.ftpserver.listener.nio.FtpLoggingFilter")
        .setLevel(jul == Level.FINE ? Level.FINE : Level.WARNING);
    Logger.getLogger("org.apache.ftpserver.command")
        .setLevel(jul == Level.FINE ? Level.FINE : Level.WARNING);
    Logger.getLogger("org.apache.ftpserver.impl")
        .setLevel(jul == Level.FINE ? Level.FINE : Level.WARNING);
    ShutdownSafeLogManager.markConfigured();
  }
}

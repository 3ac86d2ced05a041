package dev.ftpoperator.server.ops;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager closes every handler in its own shutdown hook, which would silence the log
 * lines of our SIGTERM drain. Once logging is configured, resets are ignored. Installed through
 * java.util.logging.manager.
 */
public final class ShutdownSafeLogManager extends LogManager {

  private static volatile boolean configured;

  static void markConfigured() {
    configured = true;
  }

  @Override
  public void reset() {
    if (!configured) {
      super.reset();
    }
  }
}

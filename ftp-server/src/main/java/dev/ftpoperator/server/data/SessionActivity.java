package dev.ftpoperator.server.data;

/**
 * Tells the control session that a transfer runs, so a long transfer does not count as an idle
 * control connection.
 */
@FunctionalInterface
public interface SessionActivity {
  void transferring(boolean active);
}

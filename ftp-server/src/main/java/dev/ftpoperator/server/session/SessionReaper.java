package dev.ftpoperator.server.session;

import dev.ftpoperator.server.data.ActiveTransfers;
import dev.ftpoperator.server.security.LoginGuard;
import java.time.Duration;

/**
 * Runs every second: closes connections that did not log in within the login timeout or sat idle
 * (no command, no transfer) past the idle timeout, aborts stalled transfers and forgets expired
 * bans. MINA's own idle handling is switched off because it would also cut a control connection
 * during a long transfer.
 */
public final class SessionReaper implements Runnable {

  private final ControlSessions sessions;
  private final ActiveTransfers transfers;
  private final LoginGuard loginGuard;
  private final long loginTimeoutNanos;
  private final long idleTimeoutNanos;

  public SessionReaper(
      ControlSessions sessions,
      ActiveTransfers transfers,
      LoginGuard loginGuard,
      Duration loginTimeout,
      Duration idleTimeout) {
    this.sessions = sessions;
    this.transfers = transfers;
    this.loginGuard = loginGuard;
    this.loginTimeoutNanos = loginTimeout.toNanos();
    this.idleTimeoutNanos = idleTimeout.toNanos();
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    for (TrackedSession tracked : sessions.all()) {
      if (tracked.io().isClosing()) {
        continue;
      }
      if (!tracked.isLoggedIn()
          && loginTimeoutNanos > 0
          && tracked.ageNanos(now) > loginTimeoutNanos) {
        ControlSessions.closeWithReply(tracked, "Login timeout, closing control connection");
      } else if (idleTimeoutNanos > 0
          && !tracked.isTransferring()
          && tracked.idleNanos(now) > idleTimeoutNanos) {
        ControlSessions.closeWithReply(tracked, "Idle timeout, closing control connection");
      }
    }
    transfers.abortStalled();
    loginGuard.forgetExpired();
  }
}

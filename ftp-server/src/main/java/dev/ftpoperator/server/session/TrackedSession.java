package dev.ftpoperator.server.session;

import dev.ftpoperator.server.data.SessionActivity;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.session.IoSession;

/** What the server keeps about one control connection beyond MINA's own state. */
public final class TrackedSession implements SessionActivity {

  static final String ATTRIBUTE = "dev.ftpoperator.tracked-session";

  private final IoSession io;
  private final InetAddress clientIp;
  private final long openedNanos = System.nanoTime();
  private final String refusal;
  private final AtomicInteger transfers = new AtomicInteger();
  private volatile long lastActivityNanos = openedNanos;
  private volatile boolean loggedIn;
  private volatile boolean closeAfterReply;
  private volatile boolean commandRunning;
  private int loginFailures;

  TrackedSession(IoSession io, InetAddress clientIp, String refusal) {
    this.io = io;
    this.clientIp = clientIp;
    this.refusal = refusal;
  }

  public static TrackedSession of(org.apache.ftpserver.ftplet.FtpSession session) {
    return (TrackedSession) session.getAttribute(ATTRIBUTE);
  }

  public IoSession io() {
    return io;
  }

  public InetAddress clientIp() {
    return clientIp;
  }

  /** Why the session is refused (limits), or null when it may proceed. */
  public String refusal() {
    return refusal;
  }

  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  @Override
  public void transferring(boolean active) {
    if (active) {
      transfers.incrementAndGet();
    } else {
      transfers.decrementAndGet();
    }
    touch();
  }

  void commandRunning(boolean running) {
    commandRunning = running;
  }

  boolean isCommandRunning() {
    return commandRunning;
  }

  boolean isTransferring() {
    return transfers.get() > 0;
  }

  long idleNanos(long now) {
    return now - lastActivityNanos;
  }

  long ageNanos(long now) {
    return now - openedNanos;
  }

  public boolean isLoggedIn() {
    return loggedIn;
  }

  public void loggedIn() {
    loggedIn = true;
  }

  public synchronized int loginFailed() {
    return ++loginFailures;
  }

  /** The next delayed reply is the last one: the session closes after sending it. */
  public void closeAfterReply() {
    closeAfterReply = true;
  }

  boolean shouldCloseAfterReply() {
    return closeAfterReply;
  }
}

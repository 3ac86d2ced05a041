package dev.ftpoperator.server.session;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.filter.codec.RecoverableProtocolDecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delays "530 not logged in" replies on a timer instead of MINA's Thread.sleep on a worker thread,
 * so a brute-force client slows itself down without tying up the server's threads. Replies written
 * while one is delayed queue behind it, keeping their order. Also records command activity for the
 * idle timeout and handles overlong commands.
 */
final class FailureReplyDelay extends IoFilterAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(FailureReplyDelay.class);

  private final TrackedSession tracked;
  private final long delayNanos;
  private final ScheduledExecutorService timers;
  private long releaseAtNanos;
  private final Deque<HeldReply> held = new ArrayDeque<>(); // guarded by this
  private volatile boolean lastCommandWasPass;

  FailureReplyDelay(TrackedSession tracked, Duration delay, ScheduledExecutorService timers) {
    this.tracked = tracked;
    this.delayNanos = delay.toNanos();
    this.timers = timers;
  }

  @Override
  public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
    tracked.touch();
    // the codec hands MINA's handler raw lines; it parses them into requests itself
    lastCommandWasPass =
        message instanceof String line && line.regionMatches(true, 0, "PASS", 0, 4);
    // runs on the worker thread: when the handler returns, the command and its replies are done
    tracked.commandRunning(true);
    try {
      next.messageReceived(session, message);
    } finally {
      tracked.commandRunning(false);
    }
  }

  /** MINA logs an overlong command with a full hex dump; answer and close quietly instead. */
  @Override
  public void exceptionCaught(NextFilter next, IoSession session, Throwable cause)
      throws Exception {
    if (cause instanceof RecoverableProtocolDecoderException) {
      LOG.warn(
          "closing session from {}: command line too long", tracked.clientIp().getHostAddress());
      session.write(
          new DefaultFtpReply(
              FtpReply.REPLY_500_SYNTAX_ERROR_COMMAND_UNRECOGNIZED, "Command too long"));
      session.closeOnFlush();
      return;
    }
    next.exceptionCaught(session, cause);
  }

  @Override
  public synchronized void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
    long now = System.nanoTime();
    // only PASS: MINA closes the session right after a refused USER, a delayed reply would be lost
    boolean loginRefused =
        lastCommandWasPass
            && request.getMessage() instanceof FtpReply reply
            && reply.getCode() == FtpReply.REPLY_530_NOT_LOGGED_IN;
    if (loginRefused && delayNanos > 0) {
      releaseAtNanos = Math.max(releaseAtNanos, now) + delayNanos;
    }
    if (held.isEmpty() && releaseAtNanos - now <= 0) {
      next.filterWrite(session, request);
      return;
    }
    // behind a delayed refusal, or behind replies still held for one: never before them
    held.add(new HeldReply(request, releaseAtNanos, loginRefused));
    timers.schedule(
        () -> releaseDue(next, session), Math.max(0, releaseAtNanos - now), TimeUnit.NANOSECONDS);
  }

  /**
   * Sends the held replies whose time has come, oldest first. Several timer threads may run this at
   * once; the lock and the queue keep the replies in the order they were written.
   */
  private synchronized void releaseDue(NextFilter next, IoSession session) {
    long now = System.nanoTime();
    while (!held.isEmpty() && held.peek().releaseAtNanos() - now <= 0) {
      HeldReply reply = held.poll();
      next.filterWrite(session, reply.request());
      if (reply.loginRefused() && tracked.shouldCloseAfterReply()) {
        session.closeOnFlush();
      }
    }
  }

  /** A reply held back until {@code releaseAtNanos} (System.nanoTime). */
  private record HeldReply(WriteRequest request, long releaseAtNanos, boolean loginRefused) {}
}

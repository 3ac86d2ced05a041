package dev.ftpoperator.server.session;

import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at every command line before MINA does: hangs up on HTTP (cross-protocol attacks, a browser
 * lured to the port) and on a client that keeps sending unknown commands before login, refuses
 * control characters in arguments, holds each session to its command rate, and closes a session
 * whose replies pile up unread.
 *
 * <p>The rate counts only commands a client sent without waiting for the reply to its last one (a
 * pipelined flood: one segment can carry hundreds of commands). A command that arrived after a
 * reply to the one before it had been written is free: such a client never has more than one
 * command in the server, which then waits for it, and a sequential client on a fast network sends
 * thousands of commands per second (one small file after another) that a rate would slow down.
 */
final class CommandScreen extends IoFilterAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(CommandScreen.class);

  /** {@code METHOD target HTTP/version}: the first line of every HTTP/1.x request, and h2's PRI. */
  private static final Pattern HTTP_REQUEST_LINE =
      Pattern.compile("[A-Za-z]+ \\S+ HTTP/\\d+(\\.\\d+)?", Pattern.CASE_INSENSITIVE);

  /** {@code Name: value} (RFC 9110 token, then a colon): no FTP command contains a colon. */
  private static final Pattern HTTP_HEADER_LINE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*");

  /** What to do with one line. */
  enum Verdict {
    PASS_ON,
    HTTP_CLOSE,
    CONTROL_CHARACTER,
    UNKNOWN
  }

  private final TrackedSession tracked;
  private final ControlLimits limits;
  private final Predicate<String> knownCommand;
  private final TokenBucket bucket;
  private int unknownBeforeLogin;

  /** When the line about to be screened arrived (System.nanoTime), set by the dispatch. */
  private volatile long arrivedNanos;

  /** When the line screened before it arrived; the session's start before the first. */
  private volatile long previousArrivedNanos;

  /** When this session last wrote a reply or its greeting; the session's start before either. */
  private volatile long lastReplyNanos;

  CommandScreen(TrackedSession tracked, ControlLimits limits, Predicate<String> knownCommand) {
    this.tracked = tracked;
    this.limits = limits;
    this.knownCommand = knownCommand;
    this.bucket = new TokenBucket(limits.commandRate(), limits.commandBurst());
    // until the dispatch says otherwise: no reply yet, and a line counts as sent without waiting
    this.previousArrivedNanos = System.nanoTime();
    this.lastReplyNanos = previousArrivedNanos;
    this.arrivedNanos = previousArrivedNanos;
  }

  /**
   * HTTP lines: a request line at any time, a header line before login (after login "Name:" is just
   * an unknown command). Control characters: any C0 or DEL in the line, except in PASS (passwords
   * are the user's business). Line ends never get here: {@link CommandLineDecoder} splits at LF.
   */
  static Verdict judge(String line, boolean loggedIn, Predicate<String> knownCommand) {
    if ((mayBeHttpRequestLine(line) && HTTP_REQUEST_LINE.matcher(line).matches())
        || (!loggedIn && line.indexOf(':') > 0 && HTTP_HEADER_LINE.matcher(line).matches())) {
      return Verdict.HTTP_CLOSE;
    }
    int space = line.indexOf(' ');
    String command = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    if (!command.equals("PASS") && hasControlCharacter(line)) {
      return Verdict.CONTROL_CHARACTER;
    }
    if (!loggedIn && !knownCommand.test(command)) {
      return Verdict.UNKNOWN;
    }
    return Verdict.PASS_ON;
  }

  /**
   * The request line's last word starts with "HTTP/" after its second space: checked first, so that
   * the pattern runs on a few lines instead of on every command (in a profile of logins, the two
   * patterns and a stream over the characters took 2% of the server's CPU outside the JIT).
   */
  private static boolean mayBeHttpRequestLine(String line) {
    int lastSpace = line.lastIndexOf(' ');
    return lastSpace > 0
        && line.lastIndexOf(' ', lastSpace - 1) > 0
        && line.regionMatches(true, lastSpace + 1, "HTTP/", 0, 5);
  }

  private static boolean hasControlCharacter(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells the screen when the input it is about to see arrived. The dispatch calls it on the thread
   * that runs the event, just before, so it always describes the line being screened.
   */
  void arrived(long nanos) {
    arrivedNanos = nanos;
  }

  /**
   * Whether a command that arrived at {@code nanos} waited for the reply to the one before: a reply
   * was written after that one arrived, and none since this one did (a reply written after it
   * answers a command it did not wait for).
   */
  private boolean awaitedReply(long nanos) {
    long reply = lastReplyNanos;
    return reply - previousArrivedNanos > 0 && nanos - reply > 0;
  }

  /** Whether a command arriving now, before it is screened, passes without waiting for the rate. */
  boolean mayPassAtOnce(long nanos) {
    return awaitedReply(nanos) || bucket.hasToken();
  }

  @Override
  public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
    if (!(message instanceof String line)) {
      next.messageReceived(session, message);
      return;
    }
    long arrived = arrivedNanos;
    if (!awaitedReply(arrived)) {
      bucket.take();
    }
    previousArrivedNanos = arrived;
    switch (judge(line, tracked.isLoggedIn(), knownCommand)) {
      case HTTP_CLOSE -> close(session, 500, "HTTP requests are not FTP commands", "HTTP line");
      case CONTROL_CHARACTER ->
          session.write(
              new DefaultFtpReply(
                  FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
                  "Control characters are not allowed in commands"));
      case UNKNOWN -> {
        if (++unknownBeforeLogin > limits.maxUnknownCommands()) {
          close(
              session,
              FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
              "Too many unknown commands",
              "unknown commands before login");
        } else {
          next.messageReceived(session, line);
        }
      }
      case PASS_ON -> next.messageReceived(session, line);
    }
  }

  private void close(IoSession session, int code, String reply, String why) {
    LOG.warn("closing session from {}: {}", tracked.clientIp().getHostAddress(), why);
    session.write(new DefaultFtpReply(code, reply + ", closing control connection"));
    session.closeOnFlush();
  }

  @Override
  public void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
    lastReplyNanos = System.nanoTime();
    if (session.getScheduledWriteBytes() > limits.maxQueuedBytes()) {
      if (!session.isClosing()) {
        LOG.warn(
            "closing session from {}: {} bytes of replies unread",
            tracked.clientIp().getHostAddress(),
            session.getScheduledWriteBytes());
        session.closeNow();
      }
      return;
    }
    next.filterWrite(session, request);
  }

  /**
   * Pipelined commands per session: {@code burst} at once, then {@code rate} per second. One over
   * the rate waits on the session's own worker thread (every session may hold one, as a transfer
   * does); meanwhile its further input is capped by {@link InputBudget}.
   */
  static final class TokenBucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long lastNanos = System.nanoTime();

    TokenBucket(int rate, int burst) {
      this.perNano = rate / 1e9;
      this.burst = burst;
      this.tokens = burst;
    }

    synchronized boolean hasToken() {
      return Math.min(burst, tokens + (System.nanoTime() - lastNanos) * perNano) >= 1;
    }

    void take() throws InterruptedException {
      long waitNanos;
      synchronized (this) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastNanos) * perNano) - 1;
        lastNanos = now;
        waitNanos = tokens < 0 ? (long) (-tokens / perNano) : 0;
      }
      if (waitNanos > 0) {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      }
    }
  }
}

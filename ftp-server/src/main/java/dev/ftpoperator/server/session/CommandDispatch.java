package dev.ftpoperator.server.session;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.filterchain.IoFilterEvent;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoEventType;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Where one control session's events run, in place of MINA's executor filter. MINA runs every
 * command on a worker thread and writes its reply from the I/O thread: two thread wake-ups per
 * command, most of the time a login takes. Here a command that only reads and sets session state,
 * or only reserves a passive port, runs on the I/O thread, and so does the greeting of a session
 * that is not refused. Everything else goes to the session's worker as before (a transfer, a file
 * operation, a user lookup, a wait for the command rate), and while anything of the session is
 * queued or running there, every later event queues behind it, so the session's order is kept and a
 * slow command never holds the I/O thread. TLS sessions always use the worker.
 */
final class CommandDispatch extends IoFilterAdapter {

  /**
   * Commands that touch nothing but the session's memory and never wait. USER and QUIT are this
   * server's own (MINA's wait for the session to close, which on the I/O thread would stall it);
   * not PASS (it checks a password and prepares the home on disk).
   */
  static final Set<String> IO_THREAD_COMMANDS =
      Set.of("USER", "TYPE", "NOOP", "PWD", "SYST", "FEAT", "MODE", "STRU", "QUIT");

  /**
   * The commands of {@link #IO_THREAD_COMMANDS} plus EPSV, and PASV when its public address needs
   * no name lookup: a passive reply only reserves a port of the listening range and answers, and it
   * comes before every transfer, so running it here saves a transfer two thread wake-ups.
   */
  static Set<String> ioThreadCommands(boolean pasvWithoutLookup) {
    Set<String> commands = new HashSet<>(IO_THREAD_COMMANDS);
    commands.add("EPSV");
    if (pasvWithoutLookup) {
      commands.add("PASV");
    }
    return Set.copyOf(commands);
  }

  /** Longer lines are never one of the commands above. */
  private static final int MAX_IO_THREAD_LINE = 64;

  private final Executor worker;
  private final Set<String> ioThreadCommands;
  private final TrackedSession tracked;
  private final CommandScreen screen;
  private final AtomicInteger onWorker = new AtomicInteger();

  /** Whether the bytes so far ended a line: only then does a buffer start with a command. */
  private boolean atLineStart = true; // only the session's I/O thread reads input

  CommandDispatch(
      Executor worker, Set<String> ioThreadCommands, TrackedSession tracked, CommandScreen screen) {
    this.worker = worker;
    this.ioThreadCommands = ioThreadCommands;
    this.tracked = tracked;
    this.screen = screen;
  }

  @Override
  public void sessionOpened(NextFilter next, IoSession session) {
    // a refused session is answered and closed by the access Ftplet, which waits for the close
    if (tracked.refusal() == null && idle(session)) {
      next.sessionOpened(session);
    } else {
      toWorker(next, IoEventType.SESSION_OPENED, session, null);
    }
  }

  @Override
  public void messageReceived(NextFilter next, IoSession session, Object message) {
    long arrived = System.nanoTime();
    boolean startsAtLine = atLineStart;
    if (message instanceof IoBuffer buffer && buffer.hasRemaining()) {
      atLineStart = buffer.get(buffer.limit() - 1) == '\n';
      if (startsAtLine
          && idle(session)
          && ioThreadCommands.contains(singleCommand(buffer))
          && screen.mayPassAtOnce(arrived)) {
        screen.arrived(arrived);
        next.messageReceived(session, message);
        return;
      }
    }
    // the screen sees this input's lines when the worker runs it, after everything queued before it
    toWorker(next, IoEventType.MESSAGE_RECEIVED, session, message, () -> screen.arrived(arrived));
  }

  @Override
  public void sessionClosed(NextFilter next, IoSession session) {
    toWorker(next, IoEventType.SESSION_CLOSED, session, null);
  }

  @Override
  public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) {
    toWorker(next, IoEventType.SESSION_IDLE, session, status);
  }

  @Override
  public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) {
    toWorker(next, IoEventType.EXCEPTION_CAUGHT, session, cause);
  }

  /** Nothing of the session is queued or running on its worker, and it speaks plain FTP. */
  private boolean idle(IoSession session) {
    return onWorker.get() == 0 && !session.getFilterChain().contains(SslFilter.class);
  }

  /** The command name, upper case, when the buffer holds exactly one whole short line; else "". */
  static String singleCommand(IoBuffer buffer) {
    int start = buffer.position();
    int end = buffer.limit();
    if (end - start > MAX_IO_THREAD_LINE || buffer.get(end - 1) != '\n') {
      return "";
    }
    int nameEnd = -1;
    for (int i = start; i < end - 1; i++) {
      byte b = buffer.get(i);
      if (b == '\n') {
        return "";
      }
      if (nameEnd < 0 && (b == ' ' || b == '\r')) {
        nameEnd = i;
      }
    }
    byte[] name = new byte[(nameEnd < 0 ? end - 1 : nameEnd) - start];
    for (int i = 0; i < name.length; i++) {
      name[i] = buffer.get(start + i);
    }
    return new String(name, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
  }

  private void toWorker(NextFilter next, IoEventType type, IoSession session, Object parameter) {
    toWorker(next, type, session, parameter, () -> {});
  }

  private void toWorker(
      NextFilter next, IoEventType type, IoSession session, Object parameter, Runnable first) {
    onWorker.incrementAndGet();
    worker.execute(
        new IoFilterEvent(next, type, session, parameter) {
          @Override
          public void fire() {
            try {
              first.run();
              super.fire();
            } finally {
              onWorker.decrementAndGet();
            }
          }
        });
  }
}

package dev.ftpoperator.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file descriptors the server needs at its configured limits, against the process's own limit
 * (ulimit -n). Out of descriptors under load, every accept and every transfer fails; the session
 * limit is what keeps a hostile client from taking them, and it only does when the sessions fit. So
 * a session limit over what fits is lowered to it, with a warning, and a passive range that leaves
 * no room for a session stops the server at start.
 */
public final class OpenFileBudget {

  private static final Logger LOG = LoggerFactory.getLogger(OpenFileBudget.class);

  /**
   * A session at its most, a binary upload: the control and data connections, the file, and the
   * kernel pipe (two) and the duplicates of socket and file (two) that the splice works on.
   */
  public static final int PER_SESSION = 7;

  /**
   * What a replica holds to relay another replica's data connection: the client's connection, the
   * one to the owner, and a kernel pipe per direction. The load balancer brings about as many of
   * them to each replica as it has sessions of its own.
   */
  static final int PER_RELAYED_CONNECTION = 6;

  /** Beyond what is open at the check: the HTTP server, listings, name lookups, the relay. */
  static final int RESERVE = 64;

  /** Per MINA I/O thread: its selector (an epoll and an eventfd). */
  static final int PER_IO_THREAD = 2;

  private static final Path LIMITS = Path.of("/proc/self/limits");
  private static final Path OPEN_FILES = Path.of("/proc/self/fd");

  private OpenFileBudget() {}

  /**
   * The session limit this process can hold: {@link ServerSettings#maxSessions()}, or less, with a
   * warning, when the open-file limit read from /proc is lower than it needs (the JVM has raised
   * its soft limit to the hard one by then). Where there is no /proc, the setting as it is. /proc,
   * not the platform MXBean: that one costs tens of milliseconds of a start.
   *
   * @throws IllegalArgumentException when the passive range leaves no room for a session
   */
  public static int sessionLimitOfThisProcess(ServerSettings settings, int ioThreads)
      throws IOException {
    if (!Files.isReadable(LIMITS)) {
      return settings.maxSessions();
    }
    OptionalLong limit = openFileLimit(Files.readAllLines(LIMITS));
    if (limit.isEmpty()) {
      return settings.maxSessions();
    }
    long openNow;
    try (Stream<Path> open = Files.list(OPEN_FILES)) {
      openNow = open.count();
    }
    int sessions = sessionLimit(settings, limit.getAsLong(), openNow, ioThreads);
    if (sessions < settings.maxSessions()) {
      LOG.warn(
          "{}={} needs up to {} open files ({} per session), but this process may open {} (ulimit"
              + " -n), {} of them taken by {} and the server's own: at most {} sessions at once."
              + " Raise the limit or lower {}",
          Variable.FTP_MAX_SESSIONS,
          settings.maxSessions(),
          (long) perSession(settings) * settings.maxSessions(),
          perSession(settings),
          limit.getAsLong(),
          fixed(settings, openNow, ioThreads),
          Variable.FTP_PASSIVE_PORTS,
          sessions,
          Variable.FTP_MAX_SESSIONS);
    }
    return sessions;
  }

  /**
   * @param limit the most descriptors the process may open
   * @param openNow descriptors the process holds already (its class path, the log)
   * @param ioThreads MINA's I/O threads, each with its selector
   */
  static int sessionLimit(ServerSettings settings, long limit, long openNow, int ioThreads) {
    long fixed = fixed(settings, openNow, ioThreads);
    long fits = (limit - fixed) / perSession(settings);
    if (fits < 1) {
      throw new IllegalArgumentException(
          Variable.FTP_PASSIVE_PORTS
              + " ("
              + settings.passivePorts().size()
              + " ports, a listener each) and the server's own files need "
              + fixed
              + " open files, and a session up to "
              + perSession(settings)
              + " more, but this process may open "
              + limit
              + " (ulimit -n): narrow the range or raise the limit");
    }
    return (int) Math.min(settings.maxSessions(), fits);
  }

  /** The soft limit of "Max open files" in /proc/self/limits; empty when unlimited or absent. */
  static OptionalLong openFileLimit(List<String> limits) {
    for (String line : limits) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited")
            ? OptionalLong.empty()
            : OptionalLong.of(Long.parseLong(soft));
      }
    }
    return OptionalLong.empty();
  }

  /** Whatever the sessions: what is open, the reserve, the I/O threads, the passive listeners. */
  private static long fixed(ServerSettings settings, long openNow, int ioThreads) {
    return openNow + RESERVE + (long) PER_IO_THREAD * ioThreads + settings.passivePorts().size();
  }

  private static int perSession(ServerSettings settings) {
    return PER_SESSION + (settings.cluster().isPresent() ? PER_RELAYED_CONNECTION : 0);
  }
}

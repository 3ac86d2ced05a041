package dev.ftpoperator.server.session;

import dev.ftpoperator.server.data.DataChannelFactory;
import dev.ftpoperator.server.data.DataChannelSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.ipfilter.SessionFilter;
import org.apache.ftpserver.listener.nio.FtpResponseEncoder;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All open control connections. Hooked into MINA as its SessionFilter (called on the I/O thread
 * when a connection arrives): counts it against the total and per-IP limits, and equips it with our
 * data channel, reply delay and command dispatch. A connection over a limit or from a banned
 * address is marked; the access Ftplet answers it with 421 and closes it.
 */
public final class ControlSessions implements SessionFilter {

  private static final Logger LOG = LoggerFactory.getLogger(ControlSessions.class);

  /** Filter names in MINA's NioListener chain. */
  private static final String MINA_EXECUTOR = "threadPool";

  private static final String MINA_CODEC = "codec";

  /** Where MINA's FtpIoSession keeps the session's id, drawing a random UUID when it is unset. */
  static final String MINA_SESSION_ID = FtpIoSession.ATTRIBUTE_PREFIX + "session-id";

  private static final int MAX_READ_BUFFER = 8192;

  private final Map<Long, TrackedSession> open = new ConcurrentHashMap<>();
  private final Map<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
  private final int maxSessions;
  private final int maxPerIp;
  private final DataChannelSettings dataChannels;
  private final Duration failureReplyDelay;
  private final ControlLimits limits;
  private final Predicate<String> knownCommand;
  private final Predicate<InetAddress> banned;
  private final ProtocolCodecFilter codec;
  private final Set<String> ioThreadCommands;

  /** The upper half of every session id of this server; the lower half is MINA's session number. */
  private final long sessionIdHigh = ThreadLocalRandom.current().nextLong();

  private volatile boolean refuseAll;
  private Executor worker; // guarded by this

  public ControlSessions(
      int maxSessions,
      int maxPerIp,
      DataChannelSettings dataChannels,
      Duration failureReplyDelay,
      ControlLimits limits,
      Predicate<String> knownCommand,
      Predicate<InetAddress> banned,
      boolean pasvWithoutLookup) {
    this.maxSessions = maxSessions;
    this.maxPerIp = maxPerIp;
    this.dataChannels = dataChannels;
    this.failureReplyDelay = failureReplyDelay;
    this.limits = limits;
    this.knownCommand = knownCommand;
    this.banned = banned;
    this.ioThreadCommands = CommandDispatch.ioThreadCommands(pasvWithoutLookup);
    this.codec = codec(limits.maxCommandLineBytes());
  }

  @Override
  public synchronized boolean accept(IoSession io) {
    InetAddress ip = ((InetSocketAddress) io.getRemoteAddress()).getAddress();
    if (io.getConfig() instanceof SocketSessionConfig socket) {
      // replies are small and answered at once: Nagle + delayed ACK would add ~40 ms to every
      // transfer
      socket.setTcpNoDelay(true);
    }
    // a command line is short: MINA would grow a session's read buffer to 64 KiB
    io.getConfig().setMaxReadBufferSize(MAX_READ_BUFFER);
    // MINA's number is unique already; MINA's own random UUID costs a SecureRandom draw under one
    // lock for all I/O threads, per connection
    io.setAttribute(MINA_SESSION_ID, new UUID(sessionIdHigh, io.getId()));
    String refusal = null;
    if (refuseAll) {
      refusal = "Server shutting down";
    } else if (open.size() >= maxSessions) {
      refusal = "Too many connections to this server, try again later";
    } else if (perIp.getOrDefault(ip, 0) >= maxPerIp) {
      refusal = "Too many connections from your address, try again later";
    } else if (banned.test(ip)) {
      refusal = "Too many failed logins from your address, try again later";
    }
    TrackedSession tracked = new TrackedSession(io, ip, refusal);
    io.setAttribute(TrackedSession.ATTRIBUTE, tracked);
    if (refusal == null) {
      open.put(io.getId(), tracked);
      perIp.merge(ip, 1, Integer::sum);
      io.getCloseFuture().addListener(future -> forget(io.getId(), ip));
      io.setAttribute(
          DataChannelFactory.SESSION_ATTRIBUTE, new DataChannelFactory(io, dataChannels, tracked));
    }
    IoFilterChain chain = io.getFilterChain();
    CommandScreen screen = new CommandScreen(tracked, limits, knownCommand);
    chain.replace(
        MINA_EXECUTOR, new CommandDispatch(worker(chain), ioThreadCommands, tracked, screen));
    InputBudget input = new InputBudget(limits.maxQueuedBytes());
    chain.addBefore(MINA_EXECUTOR, "inputArriving", input.arriving());
    chain.addAfter(MINA_EXECUTOR, "inputTaken", input.taken());
    chain.replace(MINA_CODEC, codec);
    chain.addLast(
        "failureReplyDelay",
        new FailureReplyDelay(tracked, failureReplyDelay, dataChannels.timers()));
    chain.addLast("commandScreen", screen);
    return true;
  }

  /** The worker threads behind MINA's executor filter, shared by all sessions. */
  private Executor worker(IoFilterChain chain) {
    if (worker == null) {
      worker = ((ExecutorFilter) chain.get(MINA_EXECUTOR)).getExecutor();
    }
    return worker;
  }

  /** MINA's reply encoder, our line decoder: both keep their state in the session. */
  private static ProtocolCodecFilter codec(int maxLineBytes) {
    return new ProtocolCodecFilter(new FtpResponseEncoder(), new CommandLineDecoder(maxLineBytes));
  }

  private synchronized void forget(long id, InetAddress ip) {
    if (open.remove(id) != null) {
      perIp.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
    }
  }

  /** Shutdown fallback when the port cannot be unbound: every new connection gets 421. */
  public void refuseNewSessions() {
    refuseAll = true;
  }

  public int openCount() {
    return open.size();
  }

  /** Sessions in the middle of a command (a transfer is one long command). */
  public long busyCount() {
    return open.values().stream().filter(TrackedSession::isCommandRunning).count();
  }

  Collection<TrackedSession> all() {
    return open.values();
  }

  /** Tells every client the server is going away and closes the control connections. */
  public void closeAll(String reason) {
    for (TrackedSession tracked : open.values()) {
      closeWithReply(tracked, reason);
    }
  }

  static void closeWithReply(TrackedSession tracked, String message) {
    LOG.info("closing session from {}: {}", tracked.clientIp().getHostAddress(), message);
    tracked
        .io()
        .write(
            new DefaultFtpReply(
                FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION, message));
    tracked.io().closeOnFlush();
  }
}

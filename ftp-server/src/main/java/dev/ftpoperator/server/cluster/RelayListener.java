package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.cluster.RelayRefusal.Reason;
import dev.ftpoperator.server.data.PassivePorts;
import dev.ftpoperator.server.ops.ServerMetrics.RelayCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay port (FTP_CLUSTER_RELAY_PORT, never on the load balancer): peers bring data connections
 * for this pod's ports and failed-login reports. Every connection must start with an authenticated
 * PROXY v2 header within the header timeout; a data connection is then handed to {@link
 * PassivePorts#deliver} with the client address from the header, exactly like a direct one.
 * Anything else is closed and counted by reason.
 */
final class RelayListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RelayListener.class);

  /** Header readers; a header is ~130 bytes from a peer on the cluster network. */
  private static final int READERS = 8;

  private static final int QUEUED = 256;

  private final ServerSocketChannel server;
  private final ProxyV2Codec codec;
  private final SliceMap slices;
  private final int self;
  private final PassivePorts ports;
  private final Consumer<InetAddress> loginFailureReported;
  private final RelayCounters counters;
  private final ScheduledExecutorService timers;
  private final Duration headerTimeout;
  private final ThreadPoolExecutor readers;
  private final Thread acceptor;
  private volatile boolean closed;

  RelayListener(
      InetSocketAddress bind,
      ProxyV2Codec codec,
      SliceMap slices,
      int self,
      PassivePorts ports,
      Consumer<InetAddress> loginFailureReported,
      RelayCounters counters,
      ScheduledExecutorService timers,
      Duration headerTimeout)
      throws IOException {
    this.codec = codec;
    this.slices = slices;
    this.self = self;
    this.ports = ports;
    this.loginFailureReported = loginFailureReported;
    this.counters = counters;
    this.timers = timers;
    this.headerTimeout = headerTimeout;
    this.server = ServerSocketChannel.open();
    server.socket().setReuseAddress(true);
    try {
      server.bind(bind, 128);
    } catch (IOException e) {
      server.close();
      throw new IOException("relay port " + bind + " cannot be bound: " + e.getMessage(), e);
    }
    this.readers =
        new ThreadPoolExecutor(
            READERS,
            READERS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED),
            runnable -> daemon(runnable, "ftp-relay-header"));
    readers.allowCoreThreadTimeOut(true);
    this.acceptor = daemon(this::acceptLoop, "ftp-relay-listener");
    acceptor.start();
  }

  static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  int port() {
    return server.socket().getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("relay listener: {}", e.toString());
        }
        continue;
      }
      // the clock runs from the accept, so a queued connection cannot wait longer either
      AtomicBoolean timedOut = new AtomicBoolean();
      ScheduledFuture<?> timeout =
          timers.schedule(
              () -> {
                timedOut.set(true);
                RelayForwarder.closeQuietly(connection);
              },
              headerTimeout.toMillis(),
              TimeUnit.MILLISECONDS);
      try {
        readers.execute(() -> handle(connection, timeout, timedOut));
      } catch (RuntimeException full) {
        timeout.cancel(false);
        counters.refused(Reason.TIMEOUT.label());
        RelayForwarder.closeQuietly(connection);
      }
    }
  }

  private void handle(
      SocketChannel connection, ScheduledFuture<?> timeout, AtomicBoolean timedOut) {
    String from = String.valueOf(connection.socket().getInetAddress());
    RelayHeader header;
    try {
      header = codec.read(connection);
      if (!timeout.cancel(false)) {
        throw new RelayRefusal(Reason.TIMEOUT, "header took longer than " + headerTimeout);
      }
      if (header.kind() == RelayHeader.Kind.DATA_CONNECTION
          && !owns(header.destination().getPort())) {
        throw new RelayRefusal(
            Reason.NOT_OWNER,
            "port " + header.destination().getPort() + " is not in this replica's slice");
      }
    } catch (RelayRefusal refusal) {
      timeout.cancel(false);
      refuse(connection, from, refusal.reason(), refusal.getMessage());
      return;
    } catch (IOException e) {
      timeout.cancel(false);
      refuse(
          connection,
          from,
          timedOut.get() ? Reason.TIMEOUT : Reason.BAD_HEADER,
          timedOut.get() ? "no header within " + headerTimeout : e.toString());
      return;
    }
    InetAddress client = header.source().getAddress();
    if (header.kind() == RelayHeader.Kind.LOGIN_FAILURE) {
      counters.banReport("received");
      RelayForwarder.closeQuietly(connection);
      loginFailureReported.accept(client);
      return;
    }
    if (ports.deliver(header.destination().getPort(), connection, client)) {
      counters.relayedIn();
      LOG.debug(
          "relayed data connection from {} on port {} via replica {}",
          client.getHostAddress(),
          header.destination().getPort(),
          header.sender());
    }
  }

  private boolean owns(int port) {
    return port >= slices.range().min()
        && port <= slices.range().max()
        && slices.owner(port) == self;
  }

  private void refuse(SocketChannel connection, String from, Reason reason, String message) {
    LOG.warn("relay connection from {} refused: {}", from, message);
    counters.refused(reason.label());
    RelayForwarder.closeQuietly(connection);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing relay listener: {}", e.getMessage());
    }
    readers.shutdownNow();
  }
}

package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.ops.ServerMetrics.RelayCounters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a data connection that reached this pod on another pod's port to that pod's relay listener:
 * connect, send a PROXY v2 header with the client's address and the arrival port, then pipe the
 * bytes. The owner decides whether the connection belongs to one of its sessions; this pod never
 * does.
 */
final class RelayForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(RelayForwarder.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private final SliceMap slices;
  private final PeerDirectory peers;
  private final ProxyV2Codec codec;
  private final RelayCounters counters;
  private final ExecutorService threads;
  private final ScheduledExecutorService timers;
  private final Duration linger;
  private final int maxRelays;
  private final Semaphore slots;

  private final ChannelCopy copy;

  RelayForwarder(
      SliceMap slices,
      PeerDirectory peers,
      ProxyV2Codec codec,
      RelayCounters counters,
      ExecutorService threads,
      ScheduledExecutorService timers,
      Duration linger,
      int maxRelays,
      ChannelCopy copy) {
    this.slices = slices;
    this.peers = peers;
    this.codec = codec;
    this.counters = counters;
    this.threads = threads;
    this.timers = timers;
    this.linger = linger;
    this.maxRelays = maxRelays;
    this.slots = new Semaphore(maxRelays);
    this.copy = copy;
  }

  /** Data connections being relayed out now (other pods' transfers running through this one). */
  int open() {
    return maxRelays - slots.availablePermits();
  }

  /** Whether {@code port} is in this replica's slice. */
  boolean ownsPort(int port) {
    return slices.owner(port) == peers.self();
  }

  /** Takes over a connection that arrived on {@code port}, owned by another replica. */
  void handOver(SocketChannel connection, int port) {
    long arrived = System.nanoTime();
    if (!slots.tryAcquire()) {
      LOG.warn("too many relayed data connections, closing one for port {}", port);
      counters.failed("busy");
      closeQuietly(connection);
      return;
    }
    try {
      threads.execute(() -> relay(connection, port, arrived));
    } catch (RuntimeException e) {
      slots.release();
      counters.failed("busy");
      closeQuietly(connection);
    }
  }

  private void relay(SocketChannel connection, int port, long arrived) {
    int owner = slices.owner(port);
    InetSocketAddress target = peers.relayAddress(owner);
    SocketChannel relay = null;
    try {
      connection.configureBlocking(true);
      connection.socket().setTcpNoDelay(true);
      relay = SocketChannel.open();
      relay.socket().setTcpNoDelay(true);
      relay.socket().connect(target, (int) CONNECT_TIMEOUT.toMillis());
      ByteBuffer header =
          codec.encode(
              RelayHeader.Kind.DATA_CONNECTION,
              (InetSocketAddress) connection.getRemoteAddress(),
              (InetSocketAddress) connection.getLocalAddress());
      while (header.hasRemaining()) {
        relay.write(header);
      }
      counters.relayedOut(System.nanoTime() - arrived);
    } catch (IOException e) {
      LOG.warn(
          "cannot relay a data connection for port {} to replica {} at {}: {}",
          port,
          owner,
          target,
          e.toString());
      counters.failed("connect");
      closeQuietly(connection);
      if (relay != null) {
        closeQuietly(relay);
      }
      slots.release();
      return;
    }
    try {
      Pipe.run(connection, relay, copy, threads, timers, linger);
    } finally {
      slots.release();
    }
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // gone already
    }
  }
}

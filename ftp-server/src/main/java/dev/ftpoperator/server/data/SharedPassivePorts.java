package dev.ftpoperator.server.data;

import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.ops.ServerMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passive ports of one replica among several: the whole range is bound by the {@link
 * PassiveAcceptor}, this pod reserves only ports of its own slice, and every connection for one of
 * them, taken directly or relayed by a peer, goes through {@link #deliver}: it reaches a session
 * only if that session reserved the port, still waits for it, and the connection comes from the
 * session's client IP. Anything else is closed: a connection that cannot be matched is never handed
 * to another session.
 */
public final class SharedPassivePorts implements PassivePorts {

  private static final Logger LOG = LoggerFactory.getLogger(SharedPassivePorts.class);

  private final PassivePortRange slice;
  private final ServerMetrics metrics;
  private final Map<Integer, Pending> reserved = new HashMap<>();
  private int next;

  public SharedPassivePorts(PassivePortRange slice, ServerMetrics metrics) {
    this.slice = slice;
    this.metrics = metrics;
  }

  public PassivePortRange slice() {
    return slice;
  }

  @Override
  public synchronized Reservation reserve(InetAddress local, InetAddress client) {
    for (int attempt = 0; attempt < slice.size(); attempt++) {
      int port = slice.min() + next;
      next = (next + 1) % slice.size();
      if (!reserved.containsKey(port)) {
        Pending pending = new Pending(port, client);
        reserved.put(port, pending);
        return pending;
      }
    }
    return null;
  }

  /**
   * A data connection for {@code port} of this slice from {@code client} (the socket's peer, or the
   * client address a relay header carried). True when a session took it; otherwise it has been
   * closed and counted.
   */
  public boolean deliver(int port, SocketChannel connection, InetAddress client) {
    Pending pending;
    synchronized (this) {
      pending = reserved.get(port);
    }
    String refusal = pending == null ? "no session waits on it" : pending.offer(connection, client);
    if (refusal == null) {
      return true;
    }
    LOG.warn(
        "refused data connection from {} on passive port {}: {}",
        client.getHostAddress(),
        port,
        refusal);
    metrics.dataConnectionRejected();
    closeQuietly(connection);
    return false;
  }

  private synchronized void forget(Pending pending) {
    reserved.remove(pending.port, pending);
  }

  @Override
  public synchronized int inUse() {
    return reserved.size();
  }

  @Override
  public int size() {
    return slice.size();
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing data connection: {}", e.getMessage());
    }
  }

  /** One reserved port: empty, then holding the session's connection until the session takes it. */
  private final class Pending implements Reservation {
    private final int port;
    private final InetAddress client;
    private SocketChannel arrived;
    private boolean taken;
    private boolean released;

    Pending(int port, InetAddress client) {
      this.port = port;
      this.client = client;
    }

    @Override
    public int port() {
      return port;
    }

    /** Null when accepted, else why not. */
    synchronized String offer(SocketChannel connection, InetAddress from) {
      if (released) {
        return "no session waits on it";
      }
      if (arrived != null) {
        return "the session already has its data connection";
      }
      if (!from.equals(client)) {
        return "the control connection is from " + client.getHostAddress();
      }
      arrived = connection;
      notifyAll();
      return null;
    }

    @Override
    public synchronized Socket accept(Duration timeout) throws IOException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (arrived == null && !released) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("no data connection within " + timeout.toSeconds() + " s");
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the data connection");
        }
      }
      if (released) {
        throw new IOException("passive port released");
      }
      taken = true;
      arrived.configureBlocking(true);
      arrived.socket().setTcpNoDelay(true);
      return arrived.socket();
    }

    @Override
    public void release() {
      SocketChannel orphan;
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
        orphan = taken ? null : arrived;
        notifyAll();
      }
      // a connection the session never took is closed here; a taken one by the session
      if (orphan != null) {
        closeQuietly(orphan);
      }
      forget(this);
    }
  }
}

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
 * The passive ports this server offers, shared by its sessions: the whole range for a lone server,
 * its own slice for a replica among several. The {@link PassiveAcceptor} listens on them for the
 * server's life; every connection for one of them, taken directly or relayed by a peer, goes
 * through {@link #deliver}: it reaches a session only if that session reserved the port, still
 * waits for it, and the connection comes from the session's client IP. Anything else is closed: a
 * connection that cannot be matched is never handed to another session. Ports are handed out
 * round-robin, so a just-released port is not reused at once (a late connection meant for the last
 * transfer cannot land in the next one).
 */
public final class PassivePorts {

  private static final Logger LOG = LoggerFactory.getLogger(PassivePorts.class);

  private final PassivePortRange offered;
  private final ServerMetrics metrics;
  private final Map<Integer, Reservation> reserved = new HashMap<>();
  private int next;

  public PassivePorts(PassivePortRange offered, ServerMetrics metrics) {
    this.offered = offered;
    this.metrics = metrics;
  }

  public PassivePortRange offered() {
    return offered;
  }

  /**
   * A port reserved for one control session, or null when every port is taken.
   *
   * @param client the control connection's client: only it may take the port
   */
  public synchronized Reservation reserve(InetAddress client) {
    for (int attempt = 0; attempt < offered.size(); attempt++) {
      int port = offered.min() + next;
      next = (next + 1) % offered.size();
      if (!reserved.containsKey(port)) {
        Reservation reservation = new Reservation(port, client);
        reserved.put(port, reservation);
        return reservation;
      }
    }
    return null;
  }

  /**
   * A data connection for {@code port} of these ports from {@code client} (the socket's peer, or
   * the client address a relay header carried). True when a session took it; otherwise it has been
   * closed and counted.
   */
  public boolean deliver(int port, SocketChannel connection, InetAddress client) {
    Reservation reservation;
    synchronized (this) {
      reservation = reserved.get(port);
    }
    if (reservation == null) {
      // every port listens for the server's life: a scan of the range must not flood the log
      LOG.debug(
          "closed data connection from {} on passive port {}: no session waits on it",
          client.getHostAddress(),
          port);
      reject(connection);
      return false;
    }
    String refusal = reservation.offer(connection, client);
    if (refusal == null) {
      return true;
    }
    LOG.warn(
        "refused data connection from {} on passive port {}: {}",
        client.getHostAddress(),
        port,
        refusal);
    reject(connection);
    return false;
  }

  private void reject(SocketChannel connection) {
    metrics.dataConnectionRejected();
    closeQuietly(connection);
  }

  private synchronized void forget(Reservation reservation) {
    reserved.remove(reservation.port, reservation);
  }

  public synchronized int inUse() {
    return reserved.size();
  }

  public int size() {
    return offered.size();
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing data connection: {}", e.getMessage());
    }
  }

  /**
   * One reserved port, waiting for its session's data connection: empty, then holding it until the
   * session takes it. Connections from anywhere else are refused meanwhile.
   */
  public final class Reservation {
    private final int port;
    private final InetAddress client;
    private SocketChannel arrived;
    private boolean taken;
    private boolean released;

    private Reservation(int port, InetAddress client) {
      this.port = port;
      this.client = client;
    }

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

    /** The data connection from the session's client. */
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

    /** Gives the port back (idempotent). */
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

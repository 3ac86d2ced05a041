package dev.ftpoperator.server.data;

import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.ops.ServerMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passive ports of a lone server, shared by all sessions. A port is reserved together with its
 * bound listening socket, and handed out round-robin so a just-released port is not reused at once
 * (a late packet from the last transfer cannot land in the next one).
 */
public final class PassivePortPool implements PassivePorts {

  private static final Logger LOG = LoggerFactory.getLogger(PassivePortPool.class);

  private final PassivePortRange range;
  private final ServerMetrics metrics;
  private final BitSet inUse;
  private int next;

  public PassivePortPool(PassivePortRange range, ServerMetrics metrics) {
    this.range = range;
    this.metrics = metrics;
    this.inUse = new BitSet(range.size());
  }

  @Override
  public synchronized Reservation reserve(InetAddress local, InetAddress client) {
    for (int attempt = 0; attempt < range.size(); attempt++) {
      int index = next;
      next = (next + 1) % range.size();
      if (inUse.get(index)) {
        continue;
      }
      int port = range.min() + index;
      try {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
          channel.socket().setReuseAddress(true);
          channel.bind(new InetSocketAddress(local, port), 1);
        } catch (IOException e) {
          channel.close();
          throw e;
        }
        inUse.set(index);
        return new Bound(port, channel, client);
      } catch (IOException e) {
        LOG.warn("passive port {} cannot be bound ({}), trying the next one", port, e.getMessage());
      }
    }
    return null;
  }

  private synchronized void release(int port) {
    inUse.clear(port - range.min());
  }

  @Override
  public synchronized int inUse() {
    return inUse.cardinality();
  }

  @Override
  public int size() {
    return range.size();
  }

  /** A port with its own listening socket, closed on release. */
  private final class Bound implements Reservation {
    private final int port;
    private final ServerSocketChannel listener;
    private final InetAddress client;
    private boolean released;

    Bound(int port, ServerSocketChannel listener, InetAddress client) {
      this.port = port;
      this.listener = listener;
      this.client = client;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public Socket accept(Duration timeout) throws IOException {
      long deadline = System.nanoTime() + timeout.toNanos();
      listener.socket().setSoTimeout(Math.max(1, (int) timeout.toMillis()));
      while (true) {
        Socket candidate;
        try {
          candidate = listener.socket().accept();
        } catch (SocketTimeoutException e) {
          throw new IOException("no data connection within " + timeout.toSeconds() + " s");
        }
        InetAddress from = candidate.getInetAddress();
        if (from.equals(client)) {
          candidate.setTcpNoDelay(true);
          return candidate;
        }
        // someone else raced for the port: refuse them, keep waiting for the real client
        LOG.warn(
            "refused passive data connection from {} (control connection is from {})",
            from.getHostAddress(),
            client.getHostAddress());
        metrics.dataConnectionRejected();
        candidate.close();
        if (System.nanoTime() > deadline) {
          throw new IOException("no data connection from the client within the timeout");
        }
      }
    }

    @Override
    public void release() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      try {
        listener.close();
      } catch (IOException e) {
        LOG.debug("closing passive listener: {}", e.getMessage());
      }
      PassivePortPool.this.release(port);
    }
  }
}

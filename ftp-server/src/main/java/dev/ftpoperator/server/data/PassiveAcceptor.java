package dev.ftpoperator.server.data;

import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.ops.ServerMetrics.RelayCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's listener on the whole passive range (the load balancer may bring any port to any
 * pod): one thread accepts on every port; a connection on a port of this pod's slice goes to {@link
 * SharedPassivePorts}, one on another pod's port to the {@link PortOwners}. Nothing here blocks on
 * a client.
 */
public final class PassiveAcceptor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PassiveAcceptor.class);
  private static final int BACKLOG = 64;

  private final SharedPassivePorts own;
  private final PortOwners owners;
  private final RelayCounters metrics;
  private final Selector selector;
  private final List<ServerSocketChannel> listeners = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  public PassiveAcceptor(
      PassivePortRange range,
      InetAddress bindAddress,
      SharedPassivePorts own,
      PortOwners owners,
      RelayCounters metrics)
      throws IOException {
    this.own = own;
    this.owners = owners;
    this.metrics = metrics;
    this.selector = Selector.open();
    try {
      for (int port = range.min(); port <= range.max(); port++) {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listeners.add(listener);
        listener.socket().setReuseAddress(true);
        try {
          listener.bind(new InetSocketAddress(bindAddress, port), BACKLOG);
        } catch (IOException e) {
          throw new IOException(
              "passive port "
                  + port
                  + " cannot be bound on "
                  + bindAddress.getHostAddress()
                  + " (every replica listens on the whole range): "
                  + e.getMessage(),
              e);
        }
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT, port);
      }
    } catch (IOException e) {
      close();
      throw e;
    }
    thread = new Thread(this::run, "ftp-passive-acceptor");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!closed) {
      try {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          int port = (Integer) key.attachment();
          SocketChannel connection;
          while ((connection = ((ServerSocketChannel) key.channel()).accept()) != null) {
            route(connection, port);
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.warn("passive acceptor: {}", e.toString());
        }
      }
    }
  }

  private void route(SocketChannel connection, int port) {
    try {
      InetAddress client = ((InetSocketAddress) connection.getRemoteAddress()).getAddress();
      if (owners.ownsPort(port)) {
        if (own.deliver(port, connection, client)) {
          metrics.direct();
        }
      } else {
        owners.handOver(connection, port);
      }
    } catch (IOException e) {
      LOG.debug("data connection on port {} gone before it was routed: {}", port, e.getMessage());
      try {
        connection.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing selector: {}", e.getMessage());
    }
    for (ServerSocketChannel listener : listeners) {
      try {
        listener.close();
      } catch (IOException e) {
        LOG.debug("closing passive listener: {}", e.getMessage());
      }
    }
  }
}

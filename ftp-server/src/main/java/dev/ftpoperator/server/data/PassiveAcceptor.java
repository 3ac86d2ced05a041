package dev.ftpoperator.server.data;

import dev.ftpoperator.server.config.PassivePortRange;
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
 * The listeners on the whole passive range, bound for the server's life: one thread accepts on
 * every port and hands each connection to the {@link Route} (a lone server's {@link PassivePorts};
 * a replica's router, since the load balancer may bring any port to any pod). Binding once means no
 * PASV asks the kernel for a port again, so none can be refused one. Nothing here blocks on a
 * client.
 */
public final class PassiveAcceptor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PassiveAcceptor.class);
  private static final int BACKLOG = 64;

  /** Where an accepted data connection goes. */
  @FunctionalInterface
  public interface Route {

    /** Takes over {@code connection}, which arrived on passive {@code port} from {@code client}. */
    void accepted(int port, SocketChannel connection, InetAddress client);
  }

  private final Route route;
  private final Selector selector;
  private final List<ServerSocketChannel> listeners = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  public PassiveAcceptor(PassivePortRange range, InetAddress bindAddress, Route route)
      throws IOException {
    this.route = route;
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
                  + " (the server listens on its whole passive range): "
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
            handOn(connection, port);
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

  private void handOn(SocketChannel connection, int port) {
    try {
      InetAddress client = ((InetSocketAddress) connection.getRemoteAddress()).getAddress();
      route.accepted(port, connection, client);
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

package dev.ftpoperator.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A load balancer for tests, like a cloud one with externalTrafficPolicy Local: it listens on
 * 127.0.0.1 on the control port and every passive port, picks a backend pod per connection, and
 * connects to it from the client's own IP (all of 127/8 is local), so the pods see the real client
 * address.
 */
final class TestLoadBalancer implements AutoCloseable {

  static final String ADDRESS = "127.0.0.1";

  private final List<ServerSocket> listeners = new ArrayList<>();
  private final List<Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closed;

  /**
   * @param backend for a port the LB listens on, the pod address and port to send it to
   */
  TestLoadBalancer(List<Integer> ports, IntFunction<InetSocketAddress> backend) throws IOException {
    for (int port : ports) {
      ServerSocket listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), port), 50);
      listeners.add(listener);
      Thread thread = new Thread(() -> acceptLoop(listener, backend), "test-lb-" + port);
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void acceptLoop(ServerSocket listener, IntFunction<InetSocketAddress> backend) {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.bind(new InetSocketAddress(client.getInetAddress(), 0));
        server.connect(backend.apply(listener.getLocalPort()), 2000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        open.add(client);
        open.add(server);
        java.util.concurrent.atomic.AtomicInteger ended =
            new java.util.concurrent.atomic.AtomicInteger();
        pump(client, server, ended);
        pump(server, client, ended);
      } catch (IOException e) {
        // closed, or the backend refused: the client sees its connection drop
      }
    }
  }

  /** One direction; an end of stream becomes a half-close, the second end closes both. */
  private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicInteger ended) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                }
                to.shutdownOutput();
                if (ended.incrementAndGet() < 2) {
                  return;
                }
              } catch (IOException e) {
                // a reset: pass it on by closing both
              }
              closeQuietly(from);
              closeQuietly(to);
            },
            "test-lb-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // gone
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    for (ServerSocket listener : listeners) {
      listener.close();
    }
    for (Socket socket : List.copyOf(open)) {
      socket.close();
    }
  }
}

package dev.ftpoperator.operator.selftest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A load balancer that forwards one port only: connections to its loopback port are relayed to a
 * target, nothing else is (what a firewall or listener set that opens 21 but not the passive range
 * does).
 */
public final class TcpForwarder implements AutoCloseable {

  private final ServerSocket listener;

  public TcpForwarder(String bindHost, InetSocketAddress target) throws IOException {
    this(bindHost, 0, target);
  }

  /** Listens on {@code port} (0: any free one). */
  public TcpForwarder(String bindHost, int port, InetSocketAddress target) throws IOException {
    listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 50);
    Thread accept =
        new Thread(
            () -> {
              while (!listener.isClosed()) {
                try {
                  Socket client = listener.accept();
                  Socket upstream = new Socket();
                  upstream.connect(target, 2000);
                  pump(client, upstream);
                  pump(upstream, client);
                } catch (IOException e) {
                  // listener closed, or one connection failed: the next accept goes on
                }
              }
            },
            "forwarder-accept");
    accept.setDaemon(true);
    accept.start();
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException ignored) {
                  // closing anyway
                }
              }
            },
            "forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

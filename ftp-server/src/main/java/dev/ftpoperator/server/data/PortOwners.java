package dev.ftpoperator.server.data;

import java.nio.channels.SocketChannel;

/** What data/ asks the cluster: is this passive port mine, and if not, hand the connection on. */
public interface PortOwners {

  boolean ownsPort(int port);

  /** Takes over a connection that arrived on {@code port}, owned by another replica. */
  void handOver(SocketChannel connection, int port);
}

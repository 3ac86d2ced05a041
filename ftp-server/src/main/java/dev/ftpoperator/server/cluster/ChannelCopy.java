package dev.ftpoperator.server.cluster;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * How a relay moves one direction of a data connection, on the calling thread; its toString names
 * it for the log.
 */
interface ChannelCopy {

  /**
   * Moves bytes from {@code from} to {@code to} until {@code from}'s end of stream. Both channels
   * are blocking; a shutdown of either by another thread ends the copy (end of stream or an error).
   */
  void copy(SocketChannel from, SocketChannel to) throws IOException;
}

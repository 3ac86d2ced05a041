package dev.ftpoperator.server.data;

import dev.ftpoperator.server.config.PassivePortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passive ports shared by all sessions. A port is reserved together with its bound listening
 * socket, and handed out round-robin so a just-released port is not reused at once (a late packet
 * from the last transfer cannot land in the next one).
 */
public final class PassivePortPool {

  private static final Logger LOG = LoggerFactory.getLogger(PassivePortPool.class);

  private final PassivePortRange range;
  private final BitSet inUse;
  private int next;

  public PassivePortPool(PassivePortRange range) {
    this.range = range;
    this.inUse = new BitSet(range.size());
  }

  /** A listening socket on a free port of the range, or null when every port is taken. */
  public synchronized ServerSocketChannel open(InetAddress bindAddress) {
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
          channel.bind(new InetSocketAddress(bindAddress, port), 1);
        } catch (IOException e) {
          channel.close();
          throw e;
        }
        inUse.set(index);
        return channel;
      } catch (IOException e) {
        LOG.warn("passive port {} cannot be bound ({}), trying the next one", port, e.getMessage());
      }
    }
    return null;
  }

  public synchronized void release(int port) {
    if (port >= range.min() && port <= range.max()) {
      inUse.clear(port - range.min());
    }
  }

  public synchronized int inUse() {
    return inUse.cardinality();
  }

  public int size() {
    return range.size();
  }
}

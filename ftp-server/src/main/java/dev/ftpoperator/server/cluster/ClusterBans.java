package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.ops.ServerMetrics.RelayCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every other replica about a failed login, over the authenticated relay port, so each pod
 * counts the failures of all pods and an attacker spreading guesses over N pods is banned after the
 * same number as against one. Reports are sent in the background and dropped (counted) when a peer
 * cannot be reached: a ban never waits on the network.
 */
final class ClusterBans {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterBans.class);

  private final PeerDirectory peers;
  private final ProxyV2Codec codec;
  private final RelayCounters counters;
  private final ExecutorService senders;

  ClusterBans(
      PeerDirectory peers, ProxyV2Codec codec, RelayCounters counters, ExecutorService senders) {
    this.peers = peers;
    this.codec = codec;
    this.counters = counters;
    this.senders = senders;
  }

  void reportFailure(InetAddress client) {
    for (int peer : peers.others()) {
      try {
        senders.execute(() -> send(peer, client));
      } catch (RejectedExecutionException full) {
        counters.banReport("failed");
      }
    }
  }

  private void send(int peer, InetAddress client) {
    InetSocketAddress target = peers.relayAddress(peer);
    try (SocketChannel channel = SocketChannel.open()) {
      channel.socket().connect(target, (int) RelayForwarder.CONNECT_TIMEOUT.toMillis());
      ByteBuffer header =
          codec.encode(
              RelayHeader.Kind.LOGIN_FAILURE,
              new InetSocketAddress(client, 0),
              new InetSocketAddress(target.getAddress(), 0));
      while (header.hasRemaining()) {
        channel.write(header);
      }
      counters.banReport("sent");
    } catch (IOException e) {
      LOG.warn("cannot report a failed login to replica {} at {}: {}", peer, target, e.toString());
      counters.banReport("failed");
    }
  }
}

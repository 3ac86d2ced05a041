package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.config.ClusterSettings;
import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.data.PassiveAcceptor;
import dev.ftpoperator.server.data.PassivePorts;
import dev.ftpoperator.server.ops.ServerMetrics;
import dev.ftpoperator.server.ops.ServerMetrics.RelayCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one replica among several runs besides a lone server: the listener on the whole passive
 * range, the relay to and from the other replicas, and the shared failed-login reports. Created
 * only when FTP_CLUSTER_REPLICAS is 2 or more.
 */
public final class ClusterNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  /** Clock skew between nodes must stay below this, and a recorded header is useless after it. */
  static final Duration REPLAY_WINDOW = Duration.ofSeconds(30);

  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);

  private final PassivePorts ports;
  private final ExecutorService relayThreads;
  private final ThreadPoolExecutor banSenders;
  private final ClusterBans bans;
  private final RelayForwarder forwarder;
  private PassiveAcceptor acceptor;
  private RelayListener listener;

  private ClusterNode(
      ClusterSettings cluster,
      PassivePortRange range,
      Duration linger,
      ServerMetrics metrics,
      Consumer<InetAddress> loginFailureReported,
      ScheduledExecutorService timers,
      InetAddress bind)
      throws IOException {
    byte[] secret = ClusterSecret.read(cluster.secretFile());
    RelayCounters counters =
        metrics.enableRelay(
            Arrays.stream(RelayRefusal.Reason.values()).map(RelayRefusal.Reason::label).toList());
    ProxyV2Codec codec =
        new ProxyV2Codec(
            secret, cluster.ordinal(), cluster.replicas(), REPLAY_WINDOW, Clock.systemUTC());
    SliceMap slices = new SliceMap(range, cluster.replicas());
    PeerDirectory peers = new PeerDirectory(cluster);
    ports = new PassivePorts(slices.slice(cluster.ordinal()), metrics);
    relayThreads = Executors.newCachedThreadPool(r -> RelayListener.daemon(r, "ftp-relay"));
    banSenders =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            r -> RelayListener.daemon(r, "ftp-ban-reports"));
    banSenders.allowCoreThreadTimeOut(true);
    bans = new ClusterBans(peers, codec, counters, banSenders);
    // 64 buffers of 256 KiB (16 MiB) kept between peaks when the copy goes through user space
    ChannelCopy copy = SplicedChannelCopy.load().orElseGet(() -> new BufferedChannelCopy(64));
    forwarder =
        new RelayForwarder(
            slices,
            peers,
            codec,
            counters,
            relayThreads,
            timers,
            linger,
            Math.max(64, 2 * range.size()),
            copy);
    try {
      acceptor =
          new PassiveAcceptor(
              range,
              bind,
              (port, connection, client) -> {
                if (!forwarder.ownsPort(port)) {
                  forwarder.handOver(connection, port);
                } else if (ports.deliver(port, connection, client)) {
                  counters.direct();
                }
              });
      listener =
          new RelayListener(
              new InetSocketAddress(bind, cluster.relayPort()),
              codec,
              slices,
              cluster.ordinal(),
              ports,
              loginFailureReported,
              counters,
              timers,
              HEADER_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    LOG.info(
        "replica {} of {}: offers passive ports {}, relays the rest of {} by {}, relay port {}",
        cluster.ordinal(),
        cluster.replicas(),
        ports.offered(),
        range,
        copy,
        listener.port());
  }

  /**
   * Starts the replica's listeners on {@code bind}.
   *
   * @param linger how long a relayed connection may stay half-closed
   * @param loginFailureReported called with the client of every failed login a peer reports
   */
  public static ClusterNode start(
      ClusterSettings cluster,
      PassivePortRange range,
      Duration linger,
      ServerMetrics metrics,
      Consumer<InetAddress> loginFailureReported,
      ScheduledExecutorService timers,
      InetAddress bind)
      throws IOException {
    return new ClusterNode(cluster, range, linger, metrics, loginFailureReported, timers, bind);
  }

  public PassivePorts ports() {
    return ports;
  }

  public int relayPort() {
    return listener.port();
  }

  /**
   * Data connections this pod relays for other pods' sessions right now: a draining pod waits for
   * them as for its own transfers, or their transfers would break with it.
   */
  public int relaysOpen() {
    return forwarder.open();
  }

  public void reportLoginFailure(InetAddress client) {
    bans.reportFailure(client);
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close();
    }
    if (acceptor != null) {
      acceptor.close();
    }
    relayThreads.shutdownNow();
    banSenders.shutdownNow();
  }
}

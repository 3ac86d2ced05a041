package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.config.ClusterSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where each replica's relay listener is: a stable address per ordinal (per-pod ClusterIP Services)
 * written into the settings by the operator, so no pod needs DNS or the Kubernetes API, and a
 * restarted pod is reachable at the same address.
 */
public record PeerDirectory(ClusterSettings settings) {

  public int self() {
    return settings.ordinal();
  }

  public InetSocketAddress relayAddress(int ordinal) {
    return new InetSocketAddress(settings.peers().get(ordinal), settings.relayPort());
  }

  /** Every ordinal but this pod's own. */
  public List<Integer> others() {
    return IntStream.range(0, settings.replicas()).filter(k -> k != self()).boxed().toList();
  }
}

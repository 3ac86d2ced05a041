package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.cluster.RelayRefusal.Reason;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Refuses a header whose timestamp is further than the window from now, or whose nonce was already
 * seen: a recorded header cannot be played again. A nonce is remembered until its timestamp has
 * left the window, so the memory is bounded by the relay rate times the window; past {@link
 * #MAX_REMEMBERED} headers are refused rather than forgotten early.
 */
final class ReplayWindow {

  static final int MAX_REMEMBERED = 1 << 18;

  private record Seen(ByteBuffer nonce, long expiresMillis) {}

  private final long windowMillis;
  private final Set<ByteBuffer> nonces = new HashSet<>();

  /** Expiry order differs from arrival order by at most the clock skew; purging stays cheap. */
  private final Deque<Seen> byArrival = new ArrayDeque<>();

  ReplayWindow(Duration window) {
    this.windowMillis = window.toMillis();
  }

  synchronized void admit(long timestampMillis, byte[] nonce, long nowMillis) throws RelayRefusal {
    if (Math.abs(nowMillis - timestampMillis) > windowMillis) {
      throw new RelayRefusal(
          Reason.STALE,
          "timestamp " + (nowMillis - timestampMillis) + " ms off, window " + windowMillis + " ms");
    }
    while (!byArrival.isEmpty() && byArrival.peekFirst().expiresMillis() < nowMillis) {
      nonces.remove(byArrival.removeFirst().nonce());
    }
    ByteBuffer key = ByteBuffer.wrap(nonce.clone());
    if (nonces.contains(key)) {
      throw new RelayRefusal(Reason.REPLAYED, "nonce seen before");
    }
    if (nonces.size() >= MAX_REMEMBERED) {
      throw new RelayRefusal(Reason.REPLAYED, "too many headers within the window");
    }
    nonces.add(key);
    // kept until the timestamp is out of the window, plus the time it arrived early
    byArrival.addLast(new Seen(key, Math.max(timestampMillis, nowMillis) + windowMillis));
  }
}

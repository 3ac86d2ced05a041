package dev.ftpoperator.server.data;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data transfers in progress. A transfer whose socket made no progress for the stall timeout is
 * closed (a blocking socket channel has no read/write timeout of its own); shutdown waits on {@link
 * #count()}.
 */
public final class ActiveTransfers {

  private static final Logger LOG = LoggerFactory.getLogger(ActiveTransfers.class);

  /** One running transfer: its socket and when bytes last moved. */
  public final class Transfer implements AutoCloseable {
    private final Socket socket;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean aborted;

    private Transfer(Socket socket) {
      this.socket = socket;
    }

    public void progressed() {
      lastProgressNanos = System.nanoTime();
    }

    /**
     * Cut off by the watchdog: an upload then ends like a normal one (the shut-down socket reads as
     * end of stream), but must not be reported complete.
     */
    public boolean aborted() {
      return aborted;
    }

    @Override
    public void close() {
      running.remove(this);
    }
  }

  private final Set<Transfer> running = ConcurrentHashMap.newKeySet();
  private final long stallNanos;

  public ActiveTransfers(Duration stallTimeout) {
    this.stallNanos = stallTimeout.toNanos();
  }

  public Transfer start(Socket socket) {
    Transfer transfer = new Transfer(socket);
    running.add(transfer);
    return transfer;
  }

  /**
   * shutdown() first: it wakes a thread blocked in sendfile or splice on this socket, which close()
   * alone does not (the channel does not know about that thread).
   */
  static void abort(Socket socket) {
    try {
      socket.shutdownOutput();
      socket.shutdownInput();
    } catch (IOException | UnsupportedOperationException ignored) {
      // TLS sockets cannot half-close; close below still ends their (non-sendfile) transfer
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }

  public int count() {
    return running.size();
  }

  /** Called periodically: aborts transfers that stalled. */
  public void abortStalled() {
    if (stallNanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    for (Transfer transfer : running) {
      if (now - transfer.lastProgressNanos > stallNanos) {
        LOG.warn(
            "aborting a data transfer stalled for more than {} s",
            Duration.ofNanos(stallNanos).toSeconds());
        transfer.aborted = true;
        abort(transfer.socket);
        running.remove(transfer);
      }
    }
  }
}

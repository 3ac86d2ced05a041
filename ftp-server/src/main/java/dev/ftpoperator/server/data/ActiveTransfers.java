package dev.ftpoperator.server.data;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data transfers in progress. A transfer whose socket made no progress for the stall timeout is closed (a blocking
 * socket channel has no read/write timeout of its own); shutdown waits on {@link #count()}.
 */
public final class ActiveTransfers {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveTransfers.class);

    /** One running transfer: its socket and when bytes last moved. */
    public final class Transfer implements AutoCloseable {
        private final Closeable socket;
        private volatile long lastProgressNanos = System.nanoTime();

        private Transfer(Closeable socket) {
            this.socket = socket;
        }

        public void progressed() {
            lastProgressNanos = System.nanoTime();
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

    public Transfer start(Closeable socket) {
        Transfer transfer = new Transfer(socket);
        running.add(transfer);
        return transfer;
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
                LOG.warn("aborting a data transfer stalled for more than {} s", Duration.ofNanos(stallNanos).toSeconds());
                try {
                    transfer.socket.close();
                } catch (IOException ignored) {
                    // closing is all we can do
                }
                running.remove(transfer);
            }
        }
    }
}

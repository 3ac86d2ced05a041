package dev.ftpoperator.server.files;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The heap that listings may hold at once, shared by every session of the server. A listing keeps
 * its whole directory in memory while it is sent (it is sorted), so without a bound one user's
 * directory of a million files, or a few sessions listing it at once, would take the heap from
 * every other session. A listing's {@link Reservation} grows as its directory is read, before the
 * memory is taken, so listings read at the same time share what is free; one that would go over is
 * refused, and each gives its share back when it closes.
 *
 * <p>One listing at a time may grow past a quarter of the whole: without that, several large ones
 * read at once would each take part of the memory and all be refused. The one that may waits a
 * little for the others' shares, which cannot grow past their quarter and soon end or are refused.
 */
public final class ListingMemory {

  /**
   * What one entry costs at most while its listing is read, besides twice its name's bytes: the
   * native reader's record, the entry and stat objects, the name's String, the listing's arrays and
   * the sort's scratch space (measured: 70-90 bytes an entry stay once the listing is made).
   */
  static final long BYTES_PER_ENTRY = 200;

  /** How much more than it needs a reservation takes when it grows, so it grows seldom. */
  private static final long GROWTH = 256 * 1024;

  /** How long the large listing waits for the memory the others hold. */
  private static final Duration LARGE_WAIT = Duration.ofSeconds(5);

  private final long limitBytes;
  private final long waitNanos;
  private final LongAdder refusals = new LongAdder();

  private long reserved; // guarded by this

  /** The one listing that may grow past a quarter of the limit, or null; guarded by this. */
  private Reservation large;

  public ListingMemory(long limitBytes) {
    this(limitBytes, LARGE_WAIT);
  }

  ListingMemory(long limitBytes, Duration largeWait) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("listing memory must be positive: " + limitBytes);
    }
    this.limitBytes = limitBytes;
    this.waitNanos = largeWait.toNanos();
  }

  /** No bound, for callers of the file system's own API (no command of this server). */
  static ListingMemory unlimited() {
    return new ListingMemory(Long.MAX_VALUE);
  }

  /** What {@code entries} entries with {@code nameBytes} bytes of names cost. */
  static long cost(long entries, long nameBytes) {
    return entries * BYTES_PER_ENTRY + 2 * nameBytes;
  }

  /** A share of nothing yet, for one listing. */
  Reservation reservation() {
    return new Reservation();
  }

  /** Bytes not reserved now. */
  synchronized long available() {
    return limitBytes - reserved;
  }

  /** Bytes reserved now, over every listing open. */
  public synchronized long reservedBytes() {
    return reserved;
  }

  public long limitBytes() {
    return limitBytes;
  }

  /** Listings refused since the server started. */
  public long refusals() {
    return refusals.sum();
  }

  /** One listing's share: grown while its directory is read, given back once when it closes. */
  public final class Reservation {

    /** Grown and released under the memory's lock, by the listing's own thread only. */
    private long bytes;

    /**
     * Whether the last refusal was because another listing is the large one, not for lack of
     * memory.
     */
    private boolean anotherWasLarge;

    private Reservation() {}

    /**
     * Makes the share at least {@code needed} bytes; false, and the share as it was, when the rest
     * is not free. Called by the native reader (by this name) each time its records outgrow their
     * buffer, so they never take more than is free either.
     */
    boolean cover(long needed) {
      if (needed <= bytes) {
        return true;
      }
      synchronized (ListingMemory.this) {
        if (needed > limitBytes / 4) {
          if (large == null) {
            large = this;
          } else if (large != this) {
            anotherWasLarge = true; // another large listing is read or sent now
            return false;
          }
        }
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
          long free = limitBytes - reserved;
          long more = needed - bytes;
          if (more <= free) {
            long step = Math.min(more + GROWTH, free);
            reserved += step;
            bytes += step;
            return true;
          }
          long left = deadline - System.nanoTime();
          if (large != this || needed > limitBytes || left <= 0) {
            return refuseAndLetAnotherGrowLarge();
          }
          try {
            ListingMemory.this.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refuseAndLetAnotherGrowLarge();
          }
        }
      }
    }

    /** False; a refused listing gives up its right to grow large at once, before it closes. */
    private boolean refuseAndLetAnotherGrowLarge() {
      if (large == this) {
        large = null;
        ListingMemory.this.notifyAll();
      }
      return false;
    }

    /** As {@link #cover}, but refusing the listing when the memory is not free. */
    void coverOrRefuse(long needed) throws ListingTooLargeException {
      if (!cover(needed)) {
        throw refused();
      }
    }

    /** Why the listing cannot be made: the memory it needs is not free. */
    ListingTooLargeException refused() {
      refusals.increment();
      return anotherWasLarge
          ? ListingTooLargeException.anotherLargeListing(limitBytes)
          : new ListingTooLargeException(available() + bytes, limitBytes);
    }

    long bytes() {
      return bytes;
    }

    void release() {
      synchronized (ListingMemory.this) {
        reserved -= bytes;
        bytes = 0;
        if (large == this) {
          large = null;
        }
        ListingMemory.this.notifyAll();
      }
    }
  }
}

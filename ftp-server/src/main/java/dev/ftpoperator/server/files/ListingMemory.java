package dev.ftpoperator.server.files;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The heap that listings may hold at once, shared by every session of the server. A listing keeps
 * its whole directory in memory while it is sent (it is sorted), so without a bound one user's
 * directory of a million files, or a few sessions listing it at once, would take the heap from
 * every other session. A listing's {@link Reservation} grows as its directory is read, before the
 * memory is taken, so listings read at the same time share what is free; one that would go over is
 * refused, and each gives its share back when it closes.
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

  private final long limitBytes;
  private final AtomicLong reserved = new AtomicLong();
  private final LongAdder refusals = new LongAdder();

  public ListingMemory(long limitBytes) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("listing memory must be positive: " + limitBytes);
    }
    this.limitBytes = limitBytes;
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
  long available() {
    return Math.max(0, limitBytes - reserved.get());
  }

  /** Bytes reserved now, over every listing open. */
  public long reservedBytes() {
    return reserved.get();
  }

  public long limitBytes() {
    return limitBytes;
  }

  /** Listings refused since the server started. */
  public long refusals() {
    return refusals.sum();
  }

  private boolean take(long bytes) {
    long before;
    do {
      before = reserved.get();
      if (bytes > limitBytes - before) {
        return false;
      }
    } while (!reserved.compareAndSet(before, before + bytes));
    return true;
  }

  /** One listing's share: grown while its directory is read, given back once when it closes. */
  public final class Reservation {

    private long bytes; // only the listing's own thread grows or releases it

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
      long more = needed - bytes;
      for (long step : new long[] {more + GROWTH, more}) {
        if (take(step)) {
          bytes += step;
          return true;
        }
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
      return new ListingTooLargeException(available() + bytes, limitBytes);
    }

    long bytes() {
      return bytes;
    }

    void release() {
      reserved.addAndGet(-bytes);
      bytes = 0;
    }
  }
}

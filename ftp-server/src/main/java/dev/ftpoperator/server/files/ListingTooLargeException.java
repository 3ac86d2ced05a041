package dev.ftpoperator.server.files;

import java.io.IOException;

/** A listing that would need more of the {@link ListingMemory} than is free. */
public final class ListingTooLargeException extends IOException {

  private static final long MIB = 1024 * 1024;

  ListingTooLargeException(long freeBytes, long limitBytes) {
    this(
        String.format(
            "This listing needs more than the %d MiB free of the %d MiB this server keeps for"
                + " listings",
            freeBytes / MIB, limitBytes / MIB));
  }

  private ListingTooLargeException(String message) {
    super(message);
  }

  /** For a listing over a quarter of the memory while another such listing is made or sent. */
  static ListingTooLargeException anotherLargeListing(long limitBytes) {
    return new ListingTooLargeException(
        String.format(
            "This listing needs more than a quarter of the %d MiB this server keeps for listings,"
                + " and another such listing is in progress: try again later",
            limitBytes / MIB));
  }
}

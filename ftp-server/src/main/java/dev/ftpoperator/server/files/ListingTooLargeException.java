package dev.ftpoperator.server.files;

import java.io.IOException;

/** A listing that would need more of the {@link ListingMemory} than is free. */
public final class ListingTooLargeException extends IOException {

  private static final long MIB = 1024 * 1024;

  ListingTooLargeException(long freeBytes, long limitBytes) {
    super(
        String.format(
            "This listing needs more than the %d MiB free of the %d MiB this server keeps for"
                + " listings",
            freeBytes / MIB, limitBytes / MIB));
  }
}

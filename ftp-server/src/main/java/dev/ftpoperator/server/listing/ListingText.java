package dev.ftpoperator.server.listing;

import dev.ftpoperator.server.files.DirectoryListing;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A listing's text, written a few thousand lines at a time as the data connection reads it: the
 * whole text of a large directory is never in memory (MINA built it in one string, then copied it
 * into one array of bytes: 140 bytes per entry of a LIST on top of the entries). Directories come
 * first, then everything else, each by name, as MINA listed them; lines end with CRLF.
 */
final class ListingText extends InputStream {

  /** Characters formatted per refill: the data connection reads 256 KiB at a time. */
  private static final int CHUNK_CHARS = 64 * 1024;

  private final DirectoryListing listing;
  private final ListingFormat format;
  private final NamePattern pattern;
  private final StringBuilder lines = new StringBuilder(CHUNK_CHARS + 1024);

  /** The pass: directories first, then the rest. */
  private boolean directories = true;

  private int next;
  private byte[] chunk = new byte[0];
  private int position;

  /** {@code pattern}: a wildcard the names must match, or null for every entry. */
  ListingText(DirectoryListing listing, ListingFormat format, String pattern) {
    this.listing = listing;
    this.format = format;
    this.pattern = pattern == null ? null : NamePattern.compile(pattern);
  }

  @Override
  public int read() {
    if (!ready()) {
      return -1;
    }
    return chunk[position++] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    if (!ready()) {
      return -1;
    }
    int count = Math.min(length, chunk.length - position);
    System.arraycopy(chunk, position, buffer, offset, count);
    position += count;
    return count;
  }

  /** True when some bytes are ready to be read, formatting more lines if none are. */
  private boolean ready() {
    while (position == chunk.length) {
      if (done()) {
        return false;
      }
      chunk = nextLines().getBytes(StandardCharsets.UTF_8);
      position = 0;
    }
    return true;
  }

  private boolean done() {
    return !directories && next == listing.size();
  }

  /**
   * The next lines, about {@link #CHUNK_CHARS} characters of them (fewer at the end, maybe none),
   * or null when all were given: for a listing that goes on the control connection (STAT), which
   * takes text. Not to be mixed with reading bytes.
   */
  String nextLines() {
    if (done()) {
      return null;
    }
    lines.setLength(0);
    while (lines.length() < CHUNK_CHARS) {
      if (next == listing.size()) {
        if (!directories) {
          break;
        }
        directories = false;
        next = 0;
        continue;
      }
      int entry = next++;
      if (listing.isDirectory(entry) == directories
          && (pattern == null || pattern.matches(listing.name(entry)))) {
        format.append(listing, entry, lines);
      }
    }
    return lines.toString();
  }
}

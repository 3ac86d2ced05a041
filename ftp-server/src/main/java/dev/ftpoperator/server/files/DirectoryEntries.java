package dev.ftpoperator.server.files;

import dev.ftpoperator.server.NativeLibrary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory's names, each with the type its directory entry records (readdir's d_type) when the
 * {@link NativeLibrary} is loaded: a listing of names then needs no stat for an entry that says it
 * is a directory or a file. Without the library, or where the file system records no type, the type
 * is {@link #UNKNOWN}. Asked for, the library also stats each entry, relative to the open directory
 * (a link: what it leads to), and leaves out those it cannot stat; without it, no entry has a stat.
 */
final class DirectoryEntries {

  static final byte DIRECTORY = 'd';
  static final byte REGULAR_FILE = 'f';
  static final byte LINK = 'l';
  static final byte OTHER = 'o';
  static final byte UNKNOWN = '?';

  /** One entry: its name as the JDK's paths decode it, its type, and its stat or null. */
  record Entry(String name, byte type, FileStat stat) {}

  /** How the JDK decodes the bytes of a file name, so a name read here resolves as the JDK's. */
  private static final Charset FILE_NAMES = fileNameCharset();

  private DirectoryEntries() {}

  /**
   * The entries, with {@code reservation} grown to cover them before they are made (the native
   * records' array too); a {@link ListingTooLargeException} when the listing memory has not that
   * much free. The caller releases the reservation.
   */
  static List<Entry> read(Path directory, boolean stat, ListingMemory.Reservation reservation)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    long nameBytes = 0;
    if (!NativeLibrary.loaded()) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          nameBytes += name.length();
          reservation.coverOrRefuse(ListingMemory.cost(entries.size() + 1, nameBytes));
          entries.add(new Entry(name, UNKNOWN, null));
        }
      }
      return entries;
    }
    byte[] records = read(directory.toString().getBytes(FILE_NAMES), stat, reservation);
    if (records == null) {
      throw reservation.refused();
    }
    ByteBuffer all = ByteBuffer.wrap(records).order(ByteOrder.nativeOrder());
    while (all.hasRemaining()) {
      byte type = all.get();
      int start = all.position();
      int end = start;
      while (all.get(end) != 0) {
        end++;
      }
      nameBytes += end - start;
      reservation.coverOrRefuse(ListingMemory.cost(entries.size() + 1, nameBytes));
      String name = new String(records, start, end - start, FILE_NAMES);
      all.position(end + 1);
      FileStat fileStat =
          stat
              ? new FileStat(
                  (int) all.getLong(),
                  saturated(all.getLong()),
                  all.getLong(),
                  all.getLong(),
                  (int) all.getLong(),
                  (int) all.getLong())
              : null;
      entries.add(new Entry(name, type, fileStat));
    }
    return entries;
  }

  private static int saturated(long count) {
    return (int) Math.min(count, Integer.MAX_VALUE);
  }

  private static Charset fileNameCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding"));
    } catch (RuntimeException e) {
      return StandardCharsets.UTF_8;
    }
  }

  /**
   * The entries of the directory at {@code path}, "." and ".." left out: for each its type letter,
   * its name's bytes and a NUL, then with {@code stat} its mode, link count, size, modification
   * millis, uid and gid as six native-order longs. The records are gathered outside the heap in a
   * buffer that {@code reservation} covers each time it grows ({@link
   * ListingMemory.Reservation#cover}): null when it cannot.
   */
  private static native byte[] read(
      byte[] path, boolean stat, ListingMemory.Reservation reservation) throws IOException;
}

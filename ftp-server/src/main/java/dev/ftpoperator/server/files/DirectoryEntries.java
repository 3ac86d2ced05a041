package dev.ftpoperator.server.files;

import dev.ftpoperator.server.NativeLibrary;
import java.io.IOException;
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
 * is {@link #UNKNOWN}.
 */
final class DirectoryEntries {

  static final byte DIRECTORY = 'd';
  static final byte REGULAR_FILE = 'f';
  static final byte LINK = 'l';
  static final byte OTHER = 'o';
  static final byte UNKNOWN = '?';

  /** One entry: its name as the JDK's paths decode it, and its type. */
  record Entry(String name, byte type) {}

  /** How the JDK decodes the bytes of a file name, so a name read here resolves as the JDK's. */
  private static final Charset FILE_NAMES = fileNameCharset();

  private DirectoryEntries() {}

  static List<Entry> read(Path directory) throws IOException {
    if (!NativeLibrary.loaded()) {
      List<Entry> entries = new ArrayList<>();
      try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
        for (Path child : children) {
          entries.add(new Entry(child.getFileName().toString(), UNKNOWN));
        }
      }
      return entries;
    }
    byte[] all = read(directory.toString().getBytes(FILE_NAMES));
    List<Entry> entries = new ArrayList<>();
    int position = 0;
    while (position < all.length) {
      byte type = all[position++];
      int start = position;
      while (all[position] != 0) {
        position++;
      }
      entries.add(new Entry(new String(all, start, position - start, FILE_NAMES), type));
      position++;
    }
    return entries;
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
   * its name's bytes and a NUL.
   */
  private static native byte[] read(byte[] path) throws IOException;
}

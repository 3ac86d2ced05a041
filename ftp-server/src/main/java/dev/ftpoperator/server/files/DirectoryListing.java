package dev.ftpoperator.server.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.ftpserver.ftplet.FtpFile;

/**
 * What a listing command shows: the entries of a directory by name, or the one file it names. Each
 * entry is read with one lstat when the listing is made, and kept in a few arrays rather than an
 * object per entry: a large directory's entries are all in memory at once. An entry that is no
 * symbolic link lies inside the home whenever its directory does; a link gets the full check and
 * shows what it points to, and one that leads outside the home is left out, as is an entry gone by
 * the time it is read.
 */
public final class DirectoryListing {

  /** The owner and group a listing shows for every entry: users are virtual, not the pod's. */
  static final String OWNER = "ftp";

  private static final byte DIRECTORY = 1;
  private static final byte REGULAR_FILE = 2;
  private static final byte OTHER = 3;

  private final UserHome home;

  /** The physical directory the names are in. */
  private final Path directory;

  private final String[] names;
  private final byte[] kinds;
  private final long[] sizes;
  private final long[] modifiedMillis;

  private DirectoryListing(
      UserHome home,
      Path directory,
      String[] names,
      byte[] kinds,
      long[] sizes,
      long[] modifiedMillis) {
    this.home = home;
    this.directory = directory;
    this.names = names;
    this.kinds = kinds;
    this.sizes = sizes;
    this.modifiedMillis = modifiedMillis;
  }

  /**
   * The listing of a file of this server's file system: its entries when it is a directory, itself
   * when it is any other file; empty when it does not exist or cannot be read.
   */
  public static Optional<DirectoryListing> of(FtpFile file) {
    if (!(file instanceof HomeFile homeFile)) {
      throw new IllegalArgumentException("not a file of this server's file system: " + file);
    }
    return Optional.ofNullable(homeFile.listing());
  }

  /** The entries of {@code directory}, a directory whose real path lies inside the home. */
  static DirectoryListing read(UserHome home, Path directory) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        // a control character could split a listing line, and a client's '\' means '/': no
        // command could address such a name anyway
        if (name.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
          found.add(name);
        }
      }
    }
    found.sort(null);
    int count = found.size();
    String[] names = new String[count];
    byte[] kinds = new byte[count];
    long[] sizes = new long[count];
    long[] modified = new long[count];
    int kept = 0;
    for (String name : found) {
      BasicFileAttributes attributes = attributes(home, directory.resolve(name));
      if (attributes != null) {
        names[kept] = name;
        kinds[kept] = kind(attributes);
        sizes[kept] = attributes.isRegularFile() ? attributes.size() : 0L;
        modified[kept] = attributes.lastModifiedTime().toMillis();
        kept++;
      }
    }
    return new DirectoryListing(home, directory, names, kinds, sizes, modified).truncated(kept);
  }

  /** A listing of one file that is no directory, as its own checks answered. */
  static DirectoryListing single(UserHome home, Path physical, FtpFile file) {
    return new DirectoryListing(
        home,
        physical.getParent(),
        new String[] {physical.getFileName().toString()},
        new byte[] {file.isFile() ? REGULAR_FILE : OTHER},
        new long[] {file.getSize()},
        new long[] {file.getLastModified()});
  }

  /** The entry's own attributes, a link's target's if it stays inside the home, else null. */
  private static BasicFileAttributes attributes(UserHome home, Path entry) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isSymbolicLink()) {
        return attributes;
      }
      return home.contains(entry) ? Files.readAttributes(entry, BasicFileAttributes.class) : null;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null; // unreadable, as for any other command
    }
  }

  private static byte kind(BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return DIRECTORY;
    }
    return attributes.isRegularFile() ? REGULAR_FILE : OTHER;
  }

  private DirectoryListing truncated(int count) {
    if (count == names.length) {
      return this;
    }
    return new DirectoryListing(
        home,
        directory,
        Arrays.copyOf(names, count),
        Arrays.copyOf(kinds, count),
        Arrays.copyOf(sizes, count),
        Arrays.copyOf(modifiedMillis, count));
  }

  /** How many entries the listing has. */
  public int size() {
    return names.length;
  }

  public String name(int entry) {
    return names[entry];
  }

  public boolean isDirectory(int entry) {
    return kinds[entry] == DIRECTORY;
  }

  public boolean isFile(int entry) {
    return kinds[entry] == REGULAR_FILE;
  }

  /** The size in bytes of a regular file, 0 for anything else. */
  public long fileSize(int entry) {
    return sizes[entry];
  }

  public long lastModified(int entry) {
    return modifiedMillis[entry];
  }

  /** Whether this server may read the entry (asked of the kernel when the line is written). */
  public boolean isReadable(int entry) {
    return Files.isReadable(directory.resolve(names[entry]));
  }

  /** Whether the user may change the entry: never in a read-only home. */
  public boolean isWritable(int entry) {
    return !home.readOnly() && Files.isWritable(directory.resolve(names[entry]));
  }

  /** The link count a listing shows: no listing reads it, and clients only print it. */
  public int linkCount(int entry) {
    return isDirectory(entry) ? 3 : 1;
  }

  public String ownerName() {
    return OWNER;
  }

  public String groupName() {
    return OWNER;
  }

  /** The entry as a file of the home, for callers of the file system's own API. */
  FtpFile file(VirtualPath directoryPath, int entry) {
    return HomeFile.listed(
        home,
        directoryPath.child(names[entry]),
        directory.resolve(names[entry]),
        isDirectory(entry),
        isFile(entry),
        sizes[entry],
        modifiedMillis[entry]);
  }
}

package dev.ftpoperator.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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

  /** The type bits of st_mode, and the two types a listing tells apart from the rest. */
  private static final int TYPE_BITS = 0170000;

  private static final int DIRECTORY_TYPE = 0040000;
  private static final int REGULAR_FILE_TYPE = 0100000;
  private static final int WRITE_BITS = 0222;

  private final UserHome home;

  /** Whether each entry's size, time and permission bits were read, not only its type. */
  private final boolean attributes;

  /** The physical directory the names are in. */
  private final Path directory;

  private final String[] names;

  /** Type and rwx bits, as in st_mode (the JDK gives no set-id or sticky bit). */
  private final int[] modes;

  private final long[] sizes;
  private final long[] modifiedMillis;

  private DirectoryListing(
      UserHome home,
      boolean attributes,
      Path directory,
      String[] names,
      int[] modes,
      long[] sizes,
      long[] modifiedMillis) {
    this.home = home;
    this.attributes = attributes;
    this.directory = directory;
    this.names = names;
    this.modes = modes;
    this.sizes = sizes;
    this.modifiedMillis = modifiedMillis;
  }

  /**
   * The listing of a file of this server's file system: its entries when it is a directory, itself
   * when it is any other file; empty when it does not exist or cannot be read. Without {@code
   * attributes} only names and types are read (NLST's listing): then no entry is stat'ed that
   * records its type, unless it is a link.
   */
  public static Optional<DirectoryListing> of(FtpFile file, boolean attributes) {
    if (!(file instanceof HomeFile homeFile)) {
      throw new IllegalArgumentException("not a file of this server's file system: " + file);
    }
    return Optional.ofNullable(homeFile.listing(attributes));
  }

  /** The entries of {@code directory}, a directory whose real path lies inside the home. */
  static DirectoryListing read(UserHome home, Path directory, boolean attributes)
      throws IOException {
    List<DirectoryEntries.Entry> found = new ArrayList<>();
    for (DirectoryEntries.Entry entry : DirectoryEntries.read(directory)) {
      // a control character could split a listing line, and a client's '\' means '/': no
      // command could address such a name anyway
      if (entry.name().chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
        found.add(entry);
      }
    }
    found.sort(Comparator.comparing(DirectoryEntries.Entry::name));
    DirectoryListing listing = empty(home, attributes, directory, found.size());
    int kept = 0;
    for (DirectoryEntries.Entry entry : found) {
      boolean typed = !attributes && listing.setType(kept, entry);
      if (typed
          || listing.set(
              kept, entry.name(), entryAttributes(home, directory.resolve(entry.name())))) {
        kept++;
      }
    }
    return listing.truncated(kept);
  }

  /** A listing of {@code physical}, a file that is no directory and lies inside the home. */
  static DirectoryListing single(UserHome home, Path physical) {
    DirectoryListing listing = empty(home, true, physical.getParent(), 1);
    try {
      PosixFileAttributes attributes = Files.readAttributes(physical, PosixFileAttributes.class);
      return listing.set(0, physical.getFileName().toString(), attributes) ? listing : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static DirectoryListing empty(
      UserHome home, boolean attributes, Path directory, int count) {
    return new DirectoryListing(
        home,
        attributes,
        directory,
        new String[count],
        new int[count],
        new long[count],
        new long[count]);
  }

  /** The entry's own attributes, a link's target's if it stays inside the home, else null. */
  private static PosixFileAttributes entryAttributes(UserHome home, Path entry) {
    try {
      PosixFileAttributes attributes =
          Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isSymbolicLink()) {
        return attributes;
      }
      return home.contains(entry) ? Files.readAttributes(entry, PosixFileAttributes.class) : null;
    } catch (IOException e) {
      return null; // gone, or unreadable as for any other command
    }
  }

  private static int mode(PosixFileAttributes attributes) {
    int mode = 0;
    if (attributes.isDirectory()) {
      mode = DIRECTORY_TYPE;
    } else if (attributes.isRegularFile()) {
      mode = REGULAR_FILE_TYPE;
    }
    for (PosixFilePermission permission : attributes.permissions()) {
      mode |= 0400 >> permission.ordinal(); // declared from OWNER_READ down to OTHERS_EXECUTE
    }
    return mode;
  }

  /**
   * Fills entry {@code index} from the type its directory entry records; false when that says
   * nothing certain: a link, which needs the check of where it leads, or no type at all.
   */
  private boolean setType(int index, DirectoryEntries.Entry entry) {
    int type =
        switch (entry.type()) {
          case DirectoryEntries.DIRECTORY -> DIRECTORY_TYPE;
          case DirectoryEntries.REGULAR_FILE -> REGULAR_FILE_TYPE;
          case DirectoryEntries.OTHER -> 0;
          default -> -1;
        };
    if (type < 0) {
      return false;
    }
    names[index] = entry.name();
    modes[index] = type;
    return true;
  }

  /** Fills entry {@code index}; false, and nothing filled, for null attributes. */
  private boolean set(int index, String name, PosixFileAttributes attributes) {
    if (attributes == null) {
      return false;
    }
    names[index] = name;
    modes[index] = mode(attributes);
    sizes[index] = attributes.isRegularFile() ? attributes.size() : 0L;
    modifiedMillis[index] = attributes.lastModifiedTime().toMillis();
    return true;
  }

  private DirectoryListing truncated(int count) {
    if (count == names.length) {
      return this;
    }
    return new DirectoryListing(
        home,
        attributes,
        directory,
        Arrays.copyOf(names, count),
        Arrays.copyOf(modes, count),
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
    return (modes[entry] & TYPE_BITS) == DIRECTORY_TYPE;
  }

  public boolean isFile(int entry) {
    return (modes[entry] & TYPE_BITS) == REGULAR_FILE_TYPE;
  }

  /**
   * The entry's type and rwx bits as in st_mode, as LIST shows them: without the write bits in a
   * read-only home.
   */
  public int mode(int entry) {
    readWithAttributes();
    return home.readOnly() ? modes[entry] & ~WRITE_BITS : modes[entry];
  }

  /** The size in bytes of a regular file, 0 for anything else. */
  public long fileSize(int entry) {
    readWithAttributes();
    return sizes[entry];
  }

  public long lastModified(int entry) {
    readWithAttributes();
    return modifiedMillis[entry];
  }

  private void readWithAttributes() {
    if (!attributes) {
      throw new IllegalStateException("a listing of names and types has no other attribute");
    }
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

package dev.ftpoperator.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.ftpserver.ftplet.FtpFile;

/**
 * What a listing command shows: the entries of a directory by name, or the one file it names. Each
 * entry is read with one lstat when the listing is made (by the native library with the names when
 * it is loaded), and kept in a few arrays rather than an object per entry: a large directory's
 * entries are all in memory at once. An entry that is no symbolic link lies inside the home
 * whenever its directory does; a link gets the full check and shows what it points to, and one that
 * leads outside the home is left out, as is an entry gone by the time it is read.
 */
public final class DirectoryListing implements AutoCloseable {

  /** The owner and group a listing shows for every entry: users are virtual, not the pod's. */
  static final String OWNER = "ftp";

  private static final int WRITE_BITS = 0222;

  private final UserHome home;

  /** Whether each entry's size, time and permission bits were read, not only its type. */
  private final boolean attributes;

  /** The physical directory the names are in. */
  private final Path directory;

  private final String[] names;

  /** st_mode: type, set-id, sticky and rwx bits. */
  private final int[] modes;

  private final int[] links;
  private final long[] sizes;
  private final long[] modifiedMillis;

  /**
   * What the entry's permission bits grant this server: {@link ProcessCredentials#READ} and {@link
   * ProcessCredentials#WRITE}, when the process's credentials are known.
   */
  private final byte[] permitted;

  /** Whether the directory's file system is mounted read-only: read when first asked. */
  private Boolean readOnlyFileSystem;

  /** This listing's share of the {@link ListingMemory}, or null for a listing of one file. */
  private final ListingMemory.Reservation reservation;

  private DirectoryListing(
      UserHome home,
      boolean attributes,
      Path directory,
      String[] names,
      int[] modes,
      int[] links,
      long[] sizes,
      long[] modifiedMillis,
      byte[] permitted,
      ListingMemory.Reservation reservation) {
    this.home = home;
    this.attributes = attributes;
    this.directory = directory;
    this.names = names;
    this.modes = modes;
    this.links = links;
    this.sizes = sizes;
    this.modifiedMillis = modifiedMillis;
    this.permitted = permitted;
    this.reservation = reservation;
  }

  /**
   * The listing of a file of this server's file system: its entries when it is a directory, itself
   * when it is any other file; empty when it does not exist or cannot be read. Without {@code
   * attributes} only names and types are read (NLST's listing): then no entry is stat'ed that
   * records its type, unless it is a link.
   */
  public static Optional<DirectoryListing> of(
      FtpFile file, boolean attributes, ListingMemory memory) throws ListingTooLargeException {
    if (!(file instanceof HomeFile homeFile)) {
      throw new IllegalArgumentException("not a file of this server's file system: " + file);
    }
    return Optional.ofNullable(homeFile.listing(attributes, memory));
  }

  /**
   * The entries of {@code directory}, a directory whose real path lies inside the home, with what
   * they cost reserved from {@code memory} until the listing is closed.
   */
  static DirectoryListing read(
      UserHome home, Path directory, boolean attributes, ListingMemory memory) throws IOException {
    ListingMemory.Reservation reservation = memory.reservation();
    try {
      List<DirectoryEntries.Entry> found = new ArrayList<>();
      for (DirectoryEntries.Entry entry :
          DirectoryEntries.read(directory, attributes, reservation)) {
        if (listable(entry.name())) {
          found.add(entry);
        }
      }
      return sorted(home, directory, attributes, found, reservation);
    } catch (IOException | RuntimeException | Error e) {
      reservation.release();
      throw e;
    }
  }

  private static DirectoryListing sorted(
      UserHome home,
      Path directory,
      boolean attributes,
      List<DirectoryEntries.Entry> found,
      ListingMemory.Reservation reservation) {
    NameOrder.sort(found, DirectoryEntries.Entry::name);
    DirectoryListing listing = empty(home, attributes, directory, found.size(), reservation);
    int kept = 0;
    for (DirectoryEntries.Entry entry : found) {
      boolean typed = !attributes && listing.setType(kept, entry);
      if (typed || listing.set(kept, entry.name(), entryStat(home, directory, entry))) {
        kept++;
      }
    }
    return listing.truncated(kept);
  }

  /**
   * False for a name with a control character, which could split a listing line, or a '\', which a
   * client means as '/': no command could address such a name anyway.
   */
  private static boolean listable(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** A listing of {@code physical}, a file that is no directory and lies inside the home. */
  static DirectoryListing single(UserHome home, Path physical) {
    DirectoryListing listing = empty(home, true, physical.getParent(), 1, null);
    try {
      return listing.set(0, physical.getFileName().toString(), FileStat.of(physical))
          ? listing
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static DirectoryListing empty(
      UserHome home,
      boolean attributes,
      Path directory,
      int count,
      ListingMemory.Reservation reservation) {
    return new DirectoryListing(
        home,
        attributes,
        directory,
        new String[count],
        new int[count],
        new int[count],
        new long[count],
        new long[count],
        new byte[count],
        reservation);
  }

  /**
   * The entry's own stat, a link's target's if the link stays inside the home, else null. The
   * native library stat'ed the entry already (a link: its target), the JDK does it here otherwise.
   */
  private static FileStat entryStat(UserHome home, Path directory, DirectoryEntries.Entry entry) {
    Path path = directory.resolve(entry.name());
    try {
      FileStat stat = entry.stat();
      if (stat == null) {
        stat = FileStat.of(path, LinkOption.NOFOLLOW_LINKS);
        if (!stat.isSymbolicLink()) {
          return stat;
        }
        return home.contains(path) ? FileStat.of(path) : null;
      }
      return entry.type() != DirectoryEntries.LINK || home.contains(path) ? stat : null;
    } catch (IOException e) {
      return null; // gone, or unreadable as for any other command
    }
  }

  /**
   * Fills entry {@code index} from the type its directory entry records; false when that says
   * nothing certain: a link, which needs the check of where it leads, or no type at all.
   */
  private boolean setType(int index, DirectoryEntries.Entry entry) {
    int type =
        switch (entry.type()) {
          case DirectoryEntries.DIRECTORY -> FileStat.DIRECTORY_TYPE;
          case DirectoryEntries.REGULAR_FILE -> FileStat.REGULAR_FILE_TYPE;
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

  /** Fills entry {@code index}; false, and nothing filled, for a null stat. */
  private boolean set(int index, String name, FileStat stat) {
    if (stat == null) {
      return false;
    }
    names[index] = name;
    modes[index] = stat.mode();
    links[index] = stat.links();
    sizes[index] = stat.isRegularFile() ? stat.size() : 0L;
    modifiedMillis[index] = stat.modifiedMillis();
    ProcessCredentials.own().ifPresent(own -> permitted[index] = (byte) own.granted(stat));
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
        Arrays.copyOf(links, count),
        Arrays.copyOf(sizes, count),
        Arrays.copyOf(modifiedMillis, count),
        Arrays.copyOf(permitted, count),
        reservation);
  }

  /** Gives the listing's memory back: the listing is sent, or given up. */
  @Override
  public void close() {
    if (reservation != null) {
      reservation.release();
    }
  }

  /** How many entries the listing has. */
  public int size() {
    return names.length;
  }

  public String name(int entry) {
    return names[entry];
  }

  public boolean isDirectory(int entry) {
    return (modes[entry] & FileStat.TYPE_BITS) == FileStat.DIRECTORY_TYPE;
  }

  public boolean isFile(int entry) {
    return (modes[entry] & FileStat.TYPE_BITS) == FileStat.REGULAR_FILE_TYPE;
  }

  /**
   * The entry's st_mode (type, set-id, sticky and rwx bits), as LIST shows it: without the write
   * bits in a read-only home.
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

  /**
   * Whether this server may read the entry, by its permission bits as it was stat'ed (by the kernel
   * when this process's credentials are unknown).
   */
  public boolean isReadable(int entry) {
    readWithAttributes();
    return ProcessCredentials.own().isPresent()
        ? (permitted[entry] & ProcessCredentials.READ) != 0
        : Files.isReadable(directory.resolve(names[entry]));
  }

  /**
   * Whether the user may change the entry: never in a read-only home or on a read-only mount, else
   * by its permission bits as {@link #isReadable} reads them.
   */
  public boolean isWritable(int entry) {
    readWithAttributes();
    if (home.readOnly()) {
      return false;
    }
    if (ProcessCredentials.own().isEmpty()) {
      return Files.isWritable(directory.resolve(names[entry]));
    }
    return (permitted[entry] & ProcessCredentials.WRITE) != 0 && !readOnlyFileSystem();
  }

  private boolean readOnlyFileSystem() {
    if (readOnlyFileSystem == null) {
      try {
        readOnlyFileSystem = Files.getFileStore(directory).isReadOnly();
      } catch (IOException e) {
        readOnlyFileSystem = false; // then each write says why it fails
      }
    }
    return readOnlyFileSystem;
  }

  /** The entry's st_nlink: a link's target's. */
  public int linkCount(int entry) {
    readWithAttributes();
    return links[entry];
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

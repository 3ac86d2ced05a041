package dev.ftpoperator.server.files;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.ftpserver.ftplet.FtpFile;

/**
 * A file or directory inside one user's home. Before any operation it checks, once, that the real
 * path (symlinks resolved) is still inside the home; a symlink pointing outside behaves as if
 * nothing were there.
 */
final class HomeFile implements FtpFile {

  private final UserHome home;
  private final VirtualPath path;
  private final Path physical;

  /**
   * MINA makes a file per command and asks it several questions (exists, is a file, readable,
   * writable, size...), a listing asks each entry as many: the real path is resolved once, for all
   * of them (a stat and a readlink per path component each time otherwise). A later command gets a
   * new file and a new check.
   */
  private Boolean contained;

  /**
   * For an entry of a listing: what the listing read of it, which answers the questions about type,
   * size and time. Null for every other file.
   */
  private final Listed listed;

  private record Listed(boolean directory, boolean regularFile, long size, long modifiedMillis) {}

  HomeFile(UserHome home, VirtualPath path) {
    this(home, path, path.isRoot() ? home.root() : home.root().resolve(path.relative()), null);
  }

  private HomeFile(UserHome home, VirtualPath path, Path physical, Listed listed) {
    this.home = home;
    this.path = path;
    this.physical = physical;
    this.listed = listed;
    if (listed != null) {
      // the listing checked its directory's real path, and a link's
      contained = true;
    }
  }

  private boolean contained() {
    if (contained == null) {
      contained = home.contains(physical);
    }
    return contained;
  }

  @Override
  public String getAbsolutePath() {
    return path.value();
  }

  @Override
  public String getName() {
    return path.name();
  }

  @Override
  public boolean isHidden() {
    return false;
  }

  @Override
  public boolean isDirectory() {
    if (listed != null) {
      return listed.directory();
    }
    return contained() && Files.isDirectory(physical);
  }

  @Override
  public boolean isFile() {
    if (listed != null) {
      return listed.regularFile();
    }
    return contained() && Files.isRegularFile(physical);
  }

  @Override
  public boolean doesExist() {
    return listed != null || (contained() && Files.exists(physical));
  }

  @Override
  public boolean isReadable() {
    return contained() && Files.isReadable(physical);
  }

  @Override
  public boolean isWritable() {
    if (home.readOnly() || !contained()) {
      return false;
    }
    if (listed != null || Files.exists(physical)) {
      return Files.isWritable(physical);
    }
    // contained() already checked the real path of the deepest existing ancestor: the parent's
    Path parent = physical.getParent();
    return parent != null && Files.isDirectory(parent) && Files.isWritable(parent);
  }

  @Override
  public boolean isRemovable() {
    if (path.isRoot() || home.readOnly() || !contained()) {
      return false;
    }
    Path parent = physical.getParent();
    return parent != null && Files.isWritable(parent);
  }

  @Override
  public String getOwnerName() {
    return DirectoryListing.OWNER;
  }

  @Override
  public String getGroupName() {
    return DirectoryListing.OWNER;
  }

  @Override
  public int getLinkCount() {
    return isDirectory() ? 3 : 1;
  }

  @Override
  public long getLastModified() {
    if (listed != null) {
      return listed.modifiedMillis();
    }
    try {
      return contained() ? Files.getLastModifiedTime(physical).toMillis() : 0L;
    } catch (IOException e) {
      return 0L;
    }
  }

  @Override
  public boolean setLastModified(long time) {
    if (!isWritable()) {
      return false;
    }
    try {
      Files.setLastModifiedTime(physical, FileTime.fromMillis(time));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public long getSize() {
    if (listed != null) {
      return listed.regularFile() ? listed.size() : 0L;
    }
    try {
      return isFile() ? Files.size(physical) : 0L;
    } catch (IOException e) {
      return 0L;
    }
  }

  @Override
  public Object getPhysicalFile() {
    return physical.toFile();
  }

  @Override
  public boolean mkdir() {
    if (!isWritable()) {
      return false;
    }
    try {
      Files.createDirectory(physical);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean delete() {
    if (!isRemovable()) {
      return false;
    }
    try {
      Files.delete(physical);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean move(FtpFile destination) {
    // the file RNFR named is kept until RNTO, a later command: check it again
    contained = null;
    if (!(destination instanceof HomeFile target) || !isRemovable() || !target.isWritable()) {
      return false;
    }
    try {
      Files.move(physical, target.physical, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The entries by name, as a {@link DirectoryListing} reads them. */
  @Override
  public List<? extends FtpFile> listFiles() {
    try (DirectoryListing listing =
        isDirectory() ? listing(true, ListingMemory.unlimited()) : null) {
      if (listing == null) {
        return null;
      }
      List<FtpFile> entries = new ArrayList<>(listing.size());
      for (int entry = 0; entry < listing.size(); entry++) {
        entries.add(listing.file(path, entry));
      }
      return entries;
    } catch (ListingTooLargeException e) {
      throw new IllegalStateException("an unlimited listing is never too large", e);
    }
  }

  /**
   * What a listing command shows of this file: its entries when it is a directory, itself when it
   * is any other file, null when it does not exist or cannot be read.
   */
  DirectoryListing listing(boolean attributes, ListingMemory memory)
      throws ListingTooLargeException {
    if (isDirectory()) {
      try {
        return DirectoryListing.read(home, physical, attributes, memory);
      } catch (ListingTooLargeException e) {
        throw e;
      } catch (IOException e) {
        return null;
      }
    }
    return doesExist() ? DirectoryListing.single(home, physical) : null;
  }

  /** An entry of a listing, which answers the questions about type, size and time. */
  static HomeFile listed(
      UserHome home,
      VirtualPath path,
      Path physical,
      boolean directory,
      boolean regularFile,
      long size,
      long modifiedMillis) {
    return new HomeFile(
        home, path, physical, new Listed(directory, regularFile, size, modifiedMillis));
  }

  /**
   * Plain file streams, so the data connection can use FileChannel.transferTo/From (sendfile) for
   * binary transfers.
   */
  @Override
  public OutputStream createOutputStream(long offset) throws IOException {
    if (!isWritable()) {
      throw new IOException("No write permission: " + path.value());
    }
    File file = physical.toFile();
    if (offset == 0) {
      return new FileOutputStream(file);
    }
    RandomAccessFile raf = new RandomAccessFile(file, "rw");
    raf.setLength(offset);
    raf.seek(offset);
    return new FileOutputStream(raf.getFD());
  }

  @Override
  public InputStream createInputStream(long offset) throws IOException {
    if (!isFile() || !isReadable()) {
      throw new IOException("No read permission: " + path.value());
    }
    FileInputStream in = new FileInputStream(physical.toFile());
    in.getChannel().position(offset);
    return in;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HomeFile that && that.physical.equals(physical);
  }

  @Override
  public int hashCode() {
    return physical.hashCode();
  }
}

package dev.ftpoperator.server.files;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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
   * For an entry of a listing: what the listing's lstat said of it, which answers the listing's
   * questions about type, size and time. Null for every other file.
   */
  private final Listed listed;

  /**
   * The part of an lstat a listing keeps: a large directory's entries are all in memory at once
   * (the JDK's attributes object cost 120 bytes more per entry, measured).
   */
  private record Listed(boolean directory, boolean regularFile, long size, long modifiedMillis) {

    static Listed of(BasicFileAttributes attributes) {
      return new Listed(
          attributes.isDirectory(),
          attributes.isRegularFile(),
          attributes.size(),
          attributes.lastModifiedTime().toMillis());
    }
  }

  HomeFile(UserHome home, VirtualPath path) {
    this(home, path, path.isRoot() ? home.root() : home.root().resolve(path.relative()), null);
  }

  private HomeFile(UserHome home, VirtualPath path, Path physical, Listed listed) {
    this.home = home;
    this.path = path;
    this.physical = physical;
    this.listed = listed;
    if (listed != null) {
      // a listed directory's own real path was checked, and this entry is no link
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
    return "ftp";
  }

  @Override
  public String getGroupName() {
    return "ftp";
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

  /**
   * The entries by name, each read with one lstat: an entry that is no link lies inside the home
   * whenever this directory does. A link gets the full check and shows what it points to; one that
   * leads outside the home is left out, as is an entry gone by the time it is read.
   */
  @Override
  public List<? extends FtpFile> listFiles() {
    if (!isDirectory()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(physical)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        // a control character could split a listing line, and a client's '\' means '/': no
        // command could address such a name anyway
        if (name.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      return null;
    }
    names.sort(null);
    List<HomeFile> entries = new ArrayList<>(names.size());
    for (String name : names) {
      HomeFile entry = entry(name);
      if (entry != null && entry.doesExist()) {
        entries.add(entry);
      }
    }
    return entries;
  }

  private HomeFile entry(String name) {
    VirtualPath entryPath = path.child(name);
    Path entryPhysical = physical.resolve(name);
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(entryPhysical, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new HomeFile(
          home,
          entryPath,
          entryPhysical,
          attributes.isSymbolicLink() ? null : Listed.of(attributes));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // the lazy checks answer, as for any other file
      return new HomeFile(home, entryPath, entryPhysical, null);
    }
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

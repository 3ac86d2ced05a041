package dev.ftpoperator.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What a listing shows of a file, as stat(2) gives it: the whole st_mode (type, set-id, sticky and
 * rwx bits), st_nlink, st_size, st_mtime in milliseconds, and st_uid and st_gid, which with the
 * mode say who may read and write it. The {@link DirectoryEntries} of the native library come with
 * it; otherwise the JDK's {@code unix} attribute view reads it, the one view that has the link
 * count and the special bits.
 */
record FileStat(int mode, int links, long size, long modifiedMillis, int uid, int gid) {

  static final int TYPE_BITS = 0170000;
  static final int DIRECTORY_TYPE = 0040000;
  static final int REGULAR_FILE_TYPE = 0100000;
  static final int LINK_TYPE = 0120000;

  private static final String UNIX_ATTRIBUTES = "unix:mode,nlink,size,lastModifiedTime,uid,gid";

  /** The file's stat, or its own when it is a link and {@code options} hold NOFOLLOW_LINKS. */
  static FileStat of(Path file, LinkOption... options) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(file, UNIX_ATTRIBUTES, options);
    return new FileStat(
        (Integer) attributes.get("mode"),
        (Integer) attributes.get("nlink"),
        (Long) attributes.get("size"),
        ((FileTime) attributes.get("lastModifiedTime")).toMillis(),
        (Integer) attributes.get("uid"),
        (Integer) attributes.get("gid"));
  }

  boolean isDirectory() {
    return (mode & TYPE_BITS) == DIRECTORY_TYPE;
  }

  boolean isRegularFile() {
    return (mode & TYPE_BITS) == REGULAR_FILE_TYPE;
  }

  boolean isSymbolicLink() {
    return (mode & TYPE_BITS) == LINK_TYPE;
  }
}

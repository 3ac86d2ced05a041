package dev.ftpoperator.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** One user's home directory (its real path) and whether the user may change anything in it. */
record UserHome(Path root, boolean readOnly) {

  /**
   * True when the real location of {@code physical}, or of its deepest existing ancestor, lies
   * inside the home.
   */
  boolean contains(Path physical) {
    return (physical.startsWith(root) && noLinkBelowRoot(physical)) || realLocationInside(physical);
  }

  /**
   * The quick answer, for a path without symbolic links below the (real) root: one lstat per name
   * below the root, where realpath(3) reads every name from / as a link (a dozen failing readlink
   * calls per transfer, most of them above the home). False sends the caller to the full check.
   */
  private boolean noLinkBelowRoot(Path physical) {
    Path current = root;
    for (Path name : root.relativize(physical)) {
      if (name.toString().equals("..")) {
        return false;
      }
      current = current.resolve(name);
      try {
        if (Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .isSymbolicLink()) {
          return false;
        }
      } catch (NoSuchFileException e) {
        return true; // nothing below a missing name exists, and every name above it was checked
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private boolean realLocationInside(Path physical) {
    Path existing = physical;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return false;
    }
    try {
      return existing.toRealPath().startsWith(root);
    } catch (IOException e) {
      return false;
    }
  }
}

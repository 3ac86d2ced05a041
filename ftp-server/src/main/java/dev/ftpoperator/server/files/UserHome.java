package dev.ftpoperator.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One user's home directory (its real path) and whether the user may change anything in it. */
record UserHome(Path root, boolean readOnly) {

  /**
   * True when the real location of {@code physical}, or of its deepest existing ancestor, lies
   * inside the home.
   */
  boolean contains(Path physical) {
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

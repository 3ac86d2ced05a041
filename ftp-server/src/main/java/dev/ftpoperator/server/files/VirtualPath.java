package dev.ftpoperator.server.files;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path as the client sees it: absolute, '/'-separated, rooted at the user's home. '..' never
 * climbs above the root, so no client-supplied path can name anything outside the home.
 */
record VirtualPath(String value) {

  static final VirtualPath ROOT = new VirtualPath("/");

  /** Resolves what a client typed against the current directory. */
  VirtualPath resolve(String input) {
    String path = input == null ? "" : input.replace('\\', '/');
    Deque<String> segments = new ArrayDeque<>();
    if (!path.startsWith("/")) {
      addSegments(segments, value);
    }
    addSegments(segments, path);
    return segments.isEmpty() ? ROOT : new VirtualPath("/" + String.join("/", segments));
  }

  private static void addSegments(Deque<String> segments, String path) {
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
  }

  /** The entry {@code name} of this directory, as a directory listing read it (no '/' in it). */
  VirtualPath child(String name) {
    return new VirtualPath(isRoot() ? "/" + name : value + "/" + name);
  }

  boolean isRoot() {
    return value.equals("/");
  }

  String name() {
    return isRoot() ? "/" : value.substring(value.lastIndexOf('/') + 1);
  }

  /** The path relative to the home, for Path.resolve. */
  String relative() {
    return value.substring(1);
  }
}

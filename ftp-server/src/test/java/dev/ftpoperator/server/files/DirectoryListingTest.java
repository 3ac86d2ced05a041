package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listing of names and types only shows what a full listing shows, without its attributes. */
class DirectoryListingTest {

  @TempDir Path root;

  @Test
  void aListingOfNamesShowsTheSameEntriesAndDirectoriesAsAFullOne() throws Exception {
    Path home = Files.createDirectories(root.resolve("home")).toRealPath();
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.createDirectories(home.resolve("dir"));
    Files.writeString(home.resolve("file.txt"), "12345");
    Files.createSymbolicLink(home.resolve("link-to-dir"), home.resolve("dir"));
    Files.createSymbolicLink(home.resolve("link-to-file"), home.resolve("file.txt"));
    Files.createSymbolicLink(home.resolve("link-out"), outside);
    Files.createSymbolicLink(home.resolve("link-dangling"), home.resolve("gone"));
    UserHome user = new UserHome(home, false);

    DirectoryListing names = DirectoryListing.read(user, home, false);
    DirectoryListing full = DirectoryListing.read(user, home, true);

    assertThat(entries(names))
        .isEqualTo(entries(full))
        .containsExactly("dir/", "file.txt", "link-to-dir/", "link-to-file");
    assertThat(full.fileSize(1)).isEqualTo(5);
    assertThatThrownBy(() -> names.fileSize(1)).isInstanceOf(IllegalStateException.class);
  }

  /** Each entry's name, with a slash for a directory. */
  private static List<String> entries(DirectoryListing listing) {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < listing.size(); i++) {
      entries.add(listing.name(i) + (listing.isDirectory(i) ? "/" : ""));
    }
    return entries;
  }
}

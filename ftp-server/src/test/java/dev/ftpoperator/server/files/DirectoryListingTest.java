package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listing of names and types only shows what a full listing shows, without its attributes; and
 * every listing holds its share of the listing memory until it is closed.
 */
class DirectoryListingTest {

  private static final ListingMemory MEMORY = new ListingMemory(1 << 20);

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

    DirectoryListing names = DirectoryListing.read(user, home, false, MEMORY);
    DirectoryListing full = DirectoryListing.read(user, home, true, MEMORY);

    assertThat(entries(names))
        .isEqualTo(entries(full))
        .containsExactly("dir/", "file.txt", "link-to-dir/", "link-to-file");
    assertThat(full.fileSize(1)).isEqualTo(5);
    assertThatThrownBy(() -> names.fileSize(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aListingHoldsAtLeastWhatItsEntriesCostUntilItIsClosed() throws Exception {
    Path home = root.toRealPath();
    for (int i = 0; i < 100; i++) {
      Files.writeString(home.resolve(String.format("file-%03d", i)), "");
    }
    ListingMemory memory = new ListingMemory(8 << 20);
    UserHome user = new UserHome(home, false);

    try (DirectoryListing full = DirectoryListing.read(user, home, true, memory)) {
      assertThat(full.size()).isEqualTo(100);
      long one = memory.reservedBytes();
      assertThat(one).isGreaterThanOrEqualTo(ListingMemory.cost(100, 100 * 8));
      try (DirectoryListing names = DirectoryListing.read(user, home, false, memory)) {
        assertThat(memory.reservedBytes()).isGreaterThan(one);
      }
      assertThat(memory.reservedBytes()).isEqualTo(one);
    }
    assertThat(memory.reservedBytes()).isZero();
  }

  @Test
  void aDirectoryThatCostsMoreThanIsFreeIsRefusedAndHoldsNothing() throws Exception {
    Path home = root.toRealPath();
    for (int i = 0; i < 10_000; i++) {
      Files.writeString(home.resolve(String.format("file-%05d-%s", i, "n".repeat(50))), "");
    }
    UserHome user = new UserHome(home, false);
    ListingMemory memory = new ListingMemory(4 << 20); // one listing costs about 3.2 MiB

    try (DirectoryListing first = DirectoryListing.read(user, home, true, memory)) {
      long one = memory.reservedBytes();
      // a second one at the same time does not fit, with attributes or names only
      for (boolean attributes : new boolean[] {true, false}) {
        assertThatThrownBy(() -> DirectoryListing.read(user, home, attributes, memory))
            .isInstanceOf(ListingTooLargeException.class)
            .hasMessageContaining("this server keeps for listings");
        assertThat(memory.reservedBytes()).isEqualTo(one);
      }
    }
    assertThat(memory.reservedBytes()).isZero();
    assertThatThrownBy(() -> DirectoryListing.read(user, home, true, new ListingMemory(2 << 20)))
        .isInstanceOf(ListingTooLargeException.class)
        .hasMessage(
            "This listing needs more than the 2 MiB free of the 2 MiB this server keeps for"
                + " listings");
    try (DirectoryListing again = DirectoryListing.read(user, home, true, memory)) {
      assertThat(again.size()).isEqualTo(10_000);
    }
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

package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ftpoperator.server.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native library reads a directory's names with the type each entry records. */
class DirectoryEntriesTest {

  private static final ListingMemory MEMORY = new ListingMemory(64 << 20);

  @TempDir Path directory;

  @BeforeEach
  void onLinux() {
    assumeThat(System.getProperty("os.name").toLowerCase(Locale.ROOT)).isEqualTo("linux");
    assertThat(NativeLibrary.loaded()).as("the build puts the library in the jar").isTrue();
  }

  @Test
  void eachNameComesWithItsEntrysTypeAndDotAndDotDotAreLeftOut() throws Exception {
    Files.createDirectories(directory.resolve("sub"));
    Files.writeString(directory.resolve("plain.txt"), "x");
    Files.writeString(directory.resolve("caf\u00e9 \u65e5\u672c.txt"), "utf-8");
    Files.createSymbolicLink(directory.resolve("link"), directory.resolve("plain.txt"));
    Process fifo = new ProcessBuilder("mkfifo", directory.resolve("pipe").toString()).start();
    assertThat(fifo.waitFor()).isZero();

    Map<String, Character> types = new TreeMap<>();
    for (DirectoryEntries.Entry entry :
        DirectoryEntries.read(directory, false, MEMORY.reservation())) {
      types.put(entry.name(), (char) entry.type());
    }

    // a file system that records no types (none that the tests run on) would answer '?'
    assertThat(types)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sub", 'd',
                "plain.txt", 'f',
                "caf\u00e9 \u65e5\u672c.txt", 'f',
                "link", 'l',
                "pipe", 'o'));
  }

  @Test
  void eachStatIsTheOneTheJdksUnixViewReadsAndALinkShowsWhatItLeadsTo() throws Exception {
    Files.createDirectories(directory.resolve("sub").resolve("child"));
    Files.writeString(directory.resolve("plain.txt"), "twelve bytes");
    Files.createLink(directory.resolve("hard"), directory.resolve("plain.txt"));
    Files.createSymbolicLink(directory.resolve("link"), directory.resolve("sub"));
    Files.writeString(directory.resolve("setuid"), "x");
    assertThat(
            new ProcessBuilder("chmod", "4751", directory.resolve("setuid").toString())
                .start()
                .waitFor())
        .isZero();
    Files.createSymbolicLink(directory.resolve("dangling"), directory.resolve("none"));

    Map<String, DirectoryEntries.Entry> entries = new TreeMap<>();
    for (DirectoryEntries.Entry entry :
        DirectoryEntries.read(directory, true, MEMORY.reservation())) {
      entries.put(entry.name(), entry);
    }

    assertThat(entries)
        .as("a link that leads nowhere has no stat: it is left out")
        .containsOnlyKeys("sub", "plain.txt", "hard", "link", "setuid");
    for (DirectoryEntries.Entry entry : entries.values()) {
      assertThat(entry.stat())
          .as(entry.name())
          .isEqualTo(FileStat.of(directory.resolve(entry.name())));
    }
    assertThat(entries.get("link").type()).isEqualTo(DirectoryEntries.LINK);
    assertThat(entries.get("link").stat().isDirectory()).isTrue();
    assertThat(entries.get("sub").stat().links()).isEqualTo(3);
    assertThat(entries.get("hard").stat().links()).isEqualTo(2);
    assertThat(entries.get("plain.txt").stat().size()).isEqualTo(12);
    assertThat(entries.get("setuid").stat().mode()).isEqualTo(FileStat.REGULAR_FILE_TYPE | 04751);
  }

  @Test
  void aDirectoryOfThousandsOfLongNamesIsReadWhole() throws Exception {
    for (int i = 0; i < 3_000; i++) {
      Files.writeString(directory.resolve(String.format("%05d-%s", i, "n".repeat(200))), "");
    }

    assertThat(DirectoryEntries.read(directory, false, MEMORY.reservation()))
        .hasSize(3_000)
        .allMatch(entry -> entry.name().length() == 206 && entry.type() == 'f');
    assertThat(DirectoryEntries.read(directory, true, MEMORY.reservation()))
        .hasSize(3_000)
        .allMatch(entry -> entry.name().length() == 206 && entry.stat().isRegularFile());
  }

  @Test
  void theReaderStopsOnceTheRecordsWouldTakeMoreThanTheFreeListingMemory() throws Exception {
    for (int i = 0; i < 3_000; i++) {
      Files.writeString(directory.resolve(String.format("%05d-%s", i, "n".repeat(200))), "");
    }
    // 3,000 records of 208 bytes, some 600 KiB, against 256 KiB
    ListingMemory small = new ListingMemory(256 << 10);

    for (boolean stat : new boolean[] {true, false}) {
      ListingMemory.Reservation reservation = small.reservation();
      assertThatThrownBy(() -> DirectoryEntries.read(directory, stat, reservation))
          .isInstanceOf(ListingTooLargeException.class)
          .hasMessage(
              "This listing needs more than the 0 MiB free of the 0 MiB this server keeps for"
                  + " listings");
      assertThat(reservation.bytes())
          .as("what the reader held")
          .isPositive()
          .isLessThanOrEqualTo(256 << 10);
      reservation.release();
      assertThat(small.reservedBytes()).isZero();
    }
  }

  @Test
  void aMissingDirectoryIsAnIoError() {
    assertThatThrownBy(
            () -> DirectoryEntries.read(directory.resolve("none"), false, MEMORY.reservation()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No such file or directory");
  }
}

package dev.ftpoperator.server.listing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.files.DirectoryListing;
import dev.ftpoperator.server.files.HomeFileSystemFactory;
import dev.ftpoperator.server.files.ListingMemory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ftpserver.command.impl.listing.DirectoryLister;
import org.apache.ftpserver.command.impl.listing.FileFormater;
import org.apache.ftpserver.command.impl.listing.LISTFileFormater;
import org.apache.ftpserver.command.impl.listing.ListArgument;
import org.apache.ftpserver.command.impl.listing.ListArgumentParser;
import org.apache.ftpserver.command.impl.listing.MLSTFileFormater;
import org.apache.ftpserver.command.impl.listing.NLSTFileFormater;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listing's text is what MINA's lister wrote for the same directory, byte for byte, however it is
 * read; it is only never whole in memory.
 */
class ListingTextTest {

  private static final ListingFormat LONG_FORM = new ListingFormat.LongForm();

  @TempDir Path root;

  private Path home;
  private FileSystemView view;

  @BeforeEach
  void home() throws Exception {
    home = Files.createDirectories(root.resolve("home"));
    BaseUser user = new BaseUser();
    user.setName("alice");
    user.setHomeDirectory(home.toString());
    user.setAuthorities(List.of(new WritePermission()));
    view = new HomeFileSystemFactory().createFileSystemView(user);
  }

  @Test
  void eachListingIsTheTextMinasListerWroteForTheSameDirectory() throws Exception {
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.createDirectories(home.resolve("sub"));
    Files.createDirectories(home.resolve("zdir"));
    Files.writeString(home.resolve("sub/inner.txt"), "in");
    Files.writeString(home.resolve("b.txt"), "12345");
    Files.writeString(home.resolve("a.txt"), "1");
    Files.writeString(home.resolve(".hidden"), "dot");
    Files.writeString(home.resolve("\u00fcn\u00ef c\u00f8d\u00e9.txt"), "utf-8");
    Files.setLastModifiedTime(home.resolve("a.txt"), FileTime.fromMillis(1_500_000_000_000L));
    Files.createSymbolicLink(home.resolve("link-in"), home.resolve("b.txt"));
    Files.createSymbolicLink(home.resolve("dir-link"), home.resolve("zdir"));
    Files.createSymbolicLink(home.resolve("link-out"), outside);

    List<String> arguments =
        List.of("", "*.txt", "[ab]*", "?.txt", "sub", "sub/", "sub/*.txt", "a.txt", "link-in");
    List<FileFormater> minaFormats =
        List.of(
            new LISTFileFormater(),
            new NLSTFileFormater(),
            new MLSTFileFormater(null),
            new MLSTFileFormater(new String[] {"type", "perm", "size", "modify"}));
    List<ListingFormat> formats =
        List.of(
            LONG_FORM,
            new ListingFormat.NamesOnly(),
            ListingFormat.Facts.of(null),
            ListingFormat.Facts.of(new String[] {"type", "perm", "size", "modify"}));
    for (String argument : arguments) {
      ListArgument parsed = ListArgumentParser.parse(argument);
      for (int i = 0; i < formats.size(); i++) {
        String mina = new DirectoryLister().listFiles(parsed, view, minaFormats.get(i));
        String ours = text(parsed, formats.get(i));
        if (i == 0) {
          // LIST's mode column is the file's, and the same count of lines must follow
          mina = withoutModeColumn(mina);
          ours = withoutModeColumn(ours);
        }
        assertThat(ours)
            .as("%s in the format of %s", argument, minaFormats.get(i).getClass().getSimpleName())
            .isEqualTo(mina);
      }
    }
    assertThat(text(ListArgumentParser.parse(""), new ListingFormat.NamesOnly()))
        .isEqualTo(
            "dir-link\r\nsub\r\nzdir\r\n.hidden\r\na.txt\r\nb.txt\r\nlink-in\r\n"
                + "\u00fcn\u00ef c\u00f8d\u00e9.txt\r\n");
  }

  @Test
  void listsModeAndLinkCountColumnsAreTheFilesAsLsShowsThem() throws Exception {
    int[] modes = {0644, 0600, 0755, 0700, 0444, 0000, 0751, 0640, 0077};
    for (int mode : modes) {
      Path file = Files.writeString(home.resolve(String.format("file-%03o", mode)), "x");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(rwx(mode)));
      Path dir = Files.createDirectories(home.resolve(String.format("dir-%03o", mode)));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(rwx(mode)));
    }
    // set-id and sticky bits, with and without x under them, which the JDK's permissions omit
    for (String mode : new String[] {"4755", "4644", "2750", "2640", "1777", "1776", "6711"}) {
      Path file = Files.writeString(home.resolve("special-" + mode), "x");
      assertThat(new ProcessBuilder("chmod", mode, file.toString()).start().waitFor()).isZero();
    }
    Files.createDirectories(home.resolve("dir-755").resolve("child"));
    Files.createLink(home.resolve("hard-link"), home.resolve("file-644"));
    Process fifo =
        new ProcessBuilder("mkfifo", "-m", "644", home.resolve("pipe").toString()).start();
    assertThat(fifo.waitFor()).isZero();

    Map<String, String> ours = modeByName(text(ListArgumentParser.parse(""), LONG_FORM));
    Process ls = new ProcessBuilder("ls", "-l", home.toString()).redirectErrorStream(true).start();
    String lsOutput = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ls.waitFor()).as(lsOutput).isZero();
    Map<String, String> theirs = modeByName(lsOutput.replaceFirst("^total .*\\n", ""));

    assertThat(ours).hasSize(2 * modes.length + 7 + 2).isEqualTo(theirs);
    assertThat(ours)
        .containsEntry("special-4644", "-rwSr--r-- 1")
        .containsEntry("special-1777", "-rwxrwxrwt 1")
        .containsEntry("hard-link", "-rw-r--r-- 2")
        .containsEntry("dir-755", "drwxr-xr-x 3")
        .containsEntry("pipe", "prw-r--r-- 1");
  }

  @Test
  void aReadOnlyHomesModeColumnShowsNoWriteBit() throws Exception {
    Files.writeString(home.resolve("report.csv"), "1");
    Files.setPosixFilePermissions(
        home.resolve("report.csv"), PosixFilePermissions.fromString(rwx(0664)));
    BaseUser reader = new BaseUser();
    reader.setName("reader");
    reader.setHomeDirectory(home.toString());
    FileSystemView readOnly = new HomeFileSystemFactory().createFileSystemView(reader);

    DirectoryListing listing =
        DirectoryListing.of(readOnly.getFile("/"), true, new ListingMemory(1 << 20)).orElseThrow();
    String line =
        new String(
            new ListingText(listing, LONG_FORM, null).readAllBytes(), StandardCharsets.UTF_8);

    assertThat(line).startsWith("-r--r--r--   1 ftp ftp            1 ").endsWith(" report.csv\r\n");
  }

  @Test
  void aListingLongerThanOneChunkReadsWholeInSmallPieces() throws Exception {
    for (int i = 0; i < 3_000; i++) {
      Files.writeString(home.resolve(String.format("file-%05d-with-a-longer-name.dat", i)), "x");
      if (i % 100 == 0) {
        Files.createDirectories(home.resolve(String.format("dir-%05d", i)));
      }
    }
    ListArgument all = ListArgumentParser.parse("");
    String mina = new DirectoryLister().listFiles(all, view, new LISTFileFormater());
    assertThat(mina.length()).as("more than one chunk").isGreaterThan(3 * 64 * 1024);

    ListingText text = listing(all, LONG_FORM);
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] piece = new byte[1000];
    for (int n = text.read(piece, 0, 7); n != -1; n = text.read(piece, 0, 1 + n % 999)) {
      read.write(piece, 0, n);
    }

    assertThat(withoutModeColumn(read.toString(StandardCharsets.UTF_8)))
        .isEqualTo(withoutModeColumn(mina));
    assertThat(text.read()).isEqualTo(-1);
  }

  @Test
  void aPatternThatMatchesNothingGivesAnEmptyListing() throws Exception {
    Files.writeString(home.resolve("a.txt"), "1");

    assertThat(text(ListArgumentParser.parse("*.csv"), LONG_FORM)).isEmpty();
  }

  /** Each line of an {@code ls -l} text without its first two columns, mode and link count. */
  private static String withoutModeColumn(String text) {
    return text.replaceAll("(?m)^\\S+ +\\d+ ", "");
  }

  /** The mode column of each line of an {@code ls -l} text, by the line's last word. */
  /** Each line's mode and link count, by name. */
  private static Map<String, String> modeByName(String text) {
    Map<String, String> modes = new TreeMap<>();
    for (String line : text.split("\r?\n")) {
      String[] words = line.trim().split(" +");
      // ls marks a file with an ACL or a security context after its mode
      modes.put(words[words.length - 1], words[0].replaceFirst("[.+]$", "") + " " + words[1]);
    }
    return modes;
  }

  private static String rwx(int mode) {
    StringBuilder bits = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      bits.append((mode & (0400 >> i)) == 0 ? '-' : "rwxrwxrwx".charAt(i));
    }
    return bits.toString();
  }

  private String text(ListArgument argument, ListingFormat format) throws Exception {
    return new String(listing(argument, format).readAllBytes(), StandardCharsets.UTF_8);
  }

  private ListingText listing(ListArgument argument, ListingFormat format) throws Exception {
    DirectoryListing entries =
        DirectoryListing.of(
                view.getFile(argument.getFile()),
                format.needsAttributes(),
                new ListingMemory(64 << 20))
            .orElseThrow();
    return new ListingText(entries, format, argument.getPattern());
  }
}

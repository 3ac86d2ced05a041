package dev.ftpoperator.server.listing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.files.DirectoryListing;
import dev.ftpoperator.server.files.HomeFileSystemFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
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
            new ListingFormat.LongForm(),
            new ListingFormat.NamesOnly(),
            ListingFormat.Facts.of(null),
            ListingFormat.Facts.of(new String[] {"type", "perm", "size", "modify"}));
    for (String argument : arguments) {
      ListArgument parsed = ListArgumentParser.parse(argument);
      for (int i = 0; i < formats.size(); i++) {
        String mina = new DirectoryLister().listFiles(parsed, view, minaFormats.get(i));
        assertThat(text(parsed, formats.get(i)))
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

    ListingText text = listing(all, new ListingFormat.LongForm());
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] piece = new byte[1000];
    for (int n = text.read(piece, 0, 7); n != -1; n = text.read(piece, 0, 1 + n % 999)) {
      read.write(piece, 0, n);
    }

    assertThat(read.toString(StandardCharsets.UTF_8)).isEqualTo(mina);
    assertThat(text.read()).isEqualTo(-1);
  }

  @Test
  void aPatternThatMatchesNothingGivesAnEmptyListing() throws Exception {
    Files.writeString(home.resolve("a.txt"), "1");

    assertThat(text(ListArgumentParser.parse("*.csv"), new ListingFormat.LongForm())).isEmpty();
  }

  private String text(ListArgument argument, ListingFormat format) throws Exception {
    return new String(listing(argument, format).readAllBytes(), StandardCharsets.UTF_8);
  }

  private ListingText listing(ListArgument argument, ListingFormat format) throws Exception {
    DirectoryListing entries = DirectoryListing.of(view.getFile(argument.getFile())).orElseThrow();
    return new ListingText(entries, format, argument.getPattern());
  }
}

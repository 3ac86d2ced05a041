package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.ftpserver.ftplet.FtpFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file answers one command; the next command's file checks the real path again. */
class HomeFileTest {

  @TempDir Path root;

  @Test
  void aDirectorySwappedForASymlinkOutsideIsRefusedToTheNextCommand() throws Exception {
    Path home = Files.createDirectories(root.resolve("home")).toRealPath();
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createDirectories(home.resolve("docs"));
    UserHome user = new UserHome(home, false);
    VirtualPath docs = VirtualPath.ROOT.resolve("docs");

    HomeFile first = new HomeFile(user, docs);
    assertThat(first.isDirectory()).isTrue();
    assertThat(first.isWritable()).isTrue();

    Files.delete(home.resolve("docs"));
    Files.createSymbolicLink(home.resolve("docs"), outside);

    HomeFile next = new HomeFile(user, docs);
    assertThat(next.doesExist()).isFalse();
    assertThat(next.isDirectory()).isFalse();
    assertThat(next.isWritable()).isFalse();
    assertThat(next.listFiles()).isNull();
    assertThat(new HomeFile(user, docs.resolve("secret.txt")).isReadable()).isFalse();
  }

  @Test
  void aListingGivesEachEntrysTypeSizeAndTimeInNameOrder() throws Exception {
    Path home = Files.createDirectories(root.resolve("home")).toRealPath();
    Path docs = Files.createDirectories(home.resolve("docs"));
    Files.writeString(docs.resolve("b.txt"), "12345");
    Files.writeString(docs.resolve("a.txt"), "1");
    Files.createDirectories(docs.resolve("c"));
    Files.setLastModifiedTime(docs.resolve("a.txt"), FileTime.fromMillis(1_700_000_000_000L));

    List<? extends FtpFile> entries =
        new HomeFile(new UserHome(home, false), VirtualPath.ROOT.resolve("docs")).listFiles();

    assertThat(entries).extracting(FtpFile::getName).containsExactly("a.txt", "b.txt", "c");
    assertThat(entries)
        .extracting(FtpFile::getAbsolutePath)
        .containsExactly("/docs/a.txt", "/docs/b.txt", "/docs/c");
    assertThat(entries).extracting(FtpFile::getSize).containsExactly(1L, 5L, 0L);
    assertThat(entries).extracting(FtpFile::isDirectory).containsExactly(false, false, true);
    assertThat(entries).extracting(FtpFile::isFile).containsExactly(true, true, false);
    assertThat(entries.get(0).getLastModified()).isEqualTo(1_700_000_000_000L);
    assertThat(entries).allMatch(FtpFile::isReadable).allMatch(FtpFile::isWritable);
  }

  @Test
  void aListingShowsWhatALinkInsideTheHomePointsToAndLeavesOutOneThatLeadsOutside()
      throws Exception {
    Path home = Files.createDirectories(root.resolve("home")).toRealPath();
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.writeString(home.resolve("report.txt"), "abc");
    Files.createSymbolicLink(home.resolve("latest"), home.resolve("report.txt"));
    Files.createSymbolicLink(home.resolve("escape"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(home.resolve("escape-dir"), outside);

    List<? extends FtpFile> entries =
        new HomeFile(new UserHome(home, false), VirtualPath.ROOT).listFiles();

    assertThat(entries).extracting(FtpFile::getName).containsExactly("latest", "report.txt");
    assertThat(entries).extracting(FtpFile::getSize).containsExactly(3L, 3L);
    assertThat(entries).allMatch(FtpFile::isFile);
  }

  @Test
  void aListingLeavesOutNamesNoCommandCouldAddress() throws Exception {
    Path home = Files.createDirectories(root.resolve("home")).toRealPath();
    Files.writeString(home.resolve("plain.txt"), "x");
    Files.writeString(home.resolve("back\\slash.txt"), "x");
    Files.writeString(home.resolve("line\nbreak.txt"), "x");

    List<? extends FtpFile> entries =
        new HomeFile(new UserHome(home, false), VirtualPath.ROOT).listFiles();

    assertThat(entries).extracting(FtpFile::getName).containsExactly("plain.txt");
  }

  @Test
  void aReadOnlyHomesListingShowsNothingWritable() throws Exception {
    Path home = Files.createDirectories(root.resolve("home")).toRealPath();
    Files.writeString(home.resolve("a.txt"), "x");
    Files.createDirectories(home.resolve("dir"));

    List<? extends FtpFile> entries =
        new HomeFile(new UserHome(home, true), VirtualPath.ROOT).listFiles();

    assertThat(entries).hasSize(2).noneMatch(FtpFile::isWritable).noneMatch(FtpFile::isRemovable);
  }
}

package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}

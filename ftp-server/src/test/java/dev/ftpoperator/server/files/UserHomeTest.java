package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserHomeTest {

  @TempDir Path root;

  private UserHome home;
  private Path outside;

  @BeforeEach
  void homeAndOutside() throws Exception {
    home = new UserHome(Files.createDirectories(root.resolve("home")).toRealPath(), false);
    outside = Files.createDirectories(root.resolve("outside")).toRealPath();
    Files.createDirectories(home.root().resolve("pub"));
    Files.writeString(home.root().resolve("pub/file.txt"), "x");
  }

  @Test
  void plainFilesAndNamesNotYetCreatedBelowTheHomeAreInside() {
    assertThat(home.contains(home.root())).isTrue();
    assertThat(home.contains(home.root().resolve("pub/file.txt"))).isTrue();
    assertThat(home.contains(home.root().resolve("pub/new/deeper.txt"))).isTrue();
  }

  @Test
  void aSymbolicLinkToElsewhereInTheHomeIsInside() throws Exception {
    Files.createSymbolicLink(home.root().resolve("alias"), home.root().resolve("pub"));
    assertThat(home.contains(home.root().resolve("alias/file.txt"))).isTrue();
  }

  @Test
  void aSymbolicLinkLeadingOutTakesEverythingBelowItOut() throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(home.root().resolve("pub/escape"), outside);
    Files.createSymbolicLink(home.root().resolve("escape-file"), outside.resolve("secret.txt"));
    assertThat(home.contains(home.root().resolve("pub/escape"))).isFalse();
    assertThat(home.contains(home.root().resolve("pub/escape/secret.txt"))).isFalse();
    assertThat(home.contains(home.root().resolve("pub/escape/not-yet.txt"))).isFalse();
    assertThat(home.contains(home.root().resolve("escape-file"))).isFalse();
  }

  @Test
  void aPathThatClimbsOutOfTheHomeIsOutside() {
    assertThat(home.contains(home.root().resolve("../outside"))).isFalse();
    assertThat(home.contains(outside)).isFalse();
  }
}

package dev.ftpoperator.server.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.usermanager.AnonymousAuthentication;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.WriteRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryTest {

  @TempDir Path root;

  private UserDirectory directory(boolean anonymous) {
    return new UserDirectory(
        root.resolve("users"), root.resolve("data"), anonymous, root.resolve("data/anonymous"));
  }

  private void userFile(String name, String content) throws Exception {
    Files.createDirectories(root.resolve("users"));
    Files.writeString(root.resolve("users").resolve(name), content);
  }

  @Test
  void aFileNamedAfterTheUserHoldsItsPasswordAndTheHomeDefaultsToDataSlashName() throws Exception {
    userFile("bob", "hunter2\n");
    User user = directory(false).authenticate(new UsernamePasswordAuthentication("bob", "hunter2"));
    assertThat(user.getName()).isEqualTo("bob");
    assertThat(user.getHomeDirectory())
        .isEqualTo(root.resolve("data/bob").toAbsolutePath().toString());
    assertThat(user.authorize(new WriteRequest())).isNotNull();
  }

  @Test
  void aSecretValueWithoutTrailingNewlineOrWithCrlfStillMatches() throws Exception {
    userFile("a", "pw");
    userFile("b", "pw\r\n");
    assertThat(directory(false).authenticate(new UsernamePasswordAuthentication("a", "pw")))
        .isNotNull();
    assertThat(directory(false).authenticate(new UsernamePasswordAuthentication("b", "pw")))
        .isNotNull();
  }

  @Test
  void readonlyAndHomeLinesAreHonoured() throws Exception {
    userFile("viewer", "pw\n# comment\nreadonly=true\nhome=shared/reports\n");
    User user = directory(false).authenticate(new UsernamePasswordAuthentication("viewer", "pw"));
    assertThat(user.authorize(new WriteRequest())).isNull();
    assertThat(user.getHomeDirectory())
        .isEqualTo(root.resolve("data/shared/reports").toAbsolutePath().toString());
  }

  @Test
  void aHomeOutsideTheDataRootMakesTheUserUnusable() throws Exception {
    userFile("evil", "pw\nhome=../../etc\n");
    assertThatThrownBy(
            () -> directory(false).authenticate(new UsernamePasswordAuthentication("evil", "pw")))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void wrongPasswordsUnknownUsersAndSecretVolumeInternalsAreRefused() throws Exception {
    userFile("bob", "hunter2\n");
    userFile("..data", "x\n");
    UserDirectory users = directory(false);
    assertThatThrownBy(() -> users.authenticate(new UsernamePasswordAuthentication("bob", "nope")))
        .isInstanceOf(AuthenticationFailedException.class);
    assertThatThrownBy(
            () -> users.authenticate(new UsernamePasswordAuthentication("alice", "hunter2")))
        .isInstanceOf(AuthenticationFailedException.class);
    assertThatThrownBy(() -> users.authenticate(new UsernamePasswordAuthentication("..data", "x")))
        .isInstanceOf(AuthenticationFailedException.class);
    assertThatThrownBy(
            () -> users.authenticate(new UsernamePasswordAuthentication("../users/bob", "hunter2")))
        .isInstanceOf(AuthenticationFailedException.class);
    assertThat(users.getAllUserNames()).containsExactly("bob");
  }

  @Test
  void anonymousIsReadOnlyAndOnlyWhenEnabled() throws Exception {
    assertThatThrownBy(() -> directory(false).authenticate(new AnonymousAuthentication()))
        .isInstanceOf(AuthenticationFailedException.class);
    User anonymous = directory(true).authenticate(new AnonymousAuthentication());
    assertThat(anonymous.authorize(new WriteRequest())).isNull();
    assertThat(anonymous.getHomeDirectory()).endsWith("anonymous");
  }

  @Test
  void aChangedFileTakesEffectAtTheNextLogin() throws Exception {
    userFile("bob", "old\n");
    UserDirectory users = directory(false);
    assertThat(users.authenticate(new UsernamePasswordAuthentication("bob", "old"))).isNotNull();
    userFile("bob", "new\n");
    assertThat(users.authenticate(new UsernamePasswordAuthentication("bob", "new"))).isNotNull();
  }

  @Test
  void anUnchangedFileIsNotReadAgainAtEachLogin() throws Exception {
    userFile("carol", "first\n");
    Path file = root.resolve("users/carol");
    FileTime settled = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Files.setLastModifiedTime(file, settled);
    UserDirectory users = directory(false);
    assertThat(users.find("carol")).map(a -> a.password().matches("first")).contains(true);

    // same inode, size and time: only a re-read could see the new content
    Files.writeString(file, "other\n");
    Files.setLastModifiedTime(file, settled);
    assertThat(users.find("carol")).map(a -> a.password().matches("first")).contains(true);
  }

  @Test
  void aFileRewrittenInPlaceWithinTheSameClockTickIsStillSeen() throws Exception {
    userFile("dave", "aaaa\n");
    UserDirectory users = directory(false);
    assertThat(users.find("dave")).map(a -> a.password().matches("aaaa")).contains(true);
    userFile("dave", "bbbb\n");
    Files.setLastModifiedTime(
        root.resolve("users/dave"), Files.getLastModifiedTime(root.resolve("users/dave")));
    assertThat(users.find("dave")).map(a -> a.password().matches("bbbb")).contains(true);
  }

  @Test
  void aSecretVolumeUpdateIsSeenAtTheNextLoginEvenWithTheSameSizeAndTime() throws Exception {
    // the kubelet's layout: name -> ..data/name, ..data -> ..<timestamp>, swapped atomically
    Path users = Files.createDirectories(root.resolve("users"));
    FileTime settled = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Path first = Files.createDirectories(users.resolve("..2026_12_01_first"));
    Files.setLastModifiedTime(Files.writeString(first.resolve("erin"), "old1\n"), settled);
    Files.createSymbolicLink(users.resolve("..data"), first.getFileName());
    Files.createSymbolicLink(users.resolve("erin"), Path.of("..data/erin"));
    UserDirectory directory = directory(false);
    assertThat(directory.find("erin")).map(a -> a.password().matches("old1")).contains(true);

    Path second = Files.createDirectories(users.resolve("..2026_12_01_second"));
    Files.setLastModifiedTime(Files.writeString(second.resolve("erin"), "new1\n"), settled);
    Files.createSymbolicLink(users.resolve("..data_tmp"), second.getFileName());
    Files.move(
        users.resolve("..data_tmp"), users.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    assertThat(directory.find("erin")).map(a -> a.password().matches("new1")).contains(true);
  }

  @Test
  void aDeletedFileEndsTheUser() throws Exception {
    userFile("frank", "pw\n");
    Files.setLastModifiedTime(
        root.resolve("users/frank"), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    UserDirectory users = directory(false);
    assertThat(users.find("frank")).isPresent();
    Files.delete(root.resolve("users/frank"));
    assertThat(users.find("frank")).isEmpty();
  }
}

package dev.ftpoperator.server.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}

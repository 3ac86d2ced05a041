package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view a login gets: its home created the first time, found as it is afterwards. */
class HomeFileSystemFactoryTest {

  @TempDir Path root;

  private final HomeFileSystemFactory factory = new HomeFileSystemFactory();

  @Test
  void aMissingHomeIsCreatedWithItsParents() throws Exception {
    Path home = root.resolve("data/alice");

    FileSystemView view = factory.createFileSystemView(user(home));

    assertThat(home).isDirectory();
    assertThat(view.getHomeDirectory().isWritable()).isTrue();
  }

  @Test
  void anExistingHomeIsUsedWithWhatItHolds() throws Exception {
    Path home = Files.createDirectories(root.resolve("data/alice"));
    Files.writeString(home.resolve("kept.txt"), "kept");

    FileSystemView view = factory.createFileSystemView(user(home));

    assertThat(view.getFile("kept.txt").doesExist()).isTrue();
    assertThat(home.resolve("kept.txt")).hasContent("kept");
  }

  @Test
  void aFileWhereTheHomeShouldBeRefusesTheLogin() throws Exception {
    Path home = Files.createDirectories(root.resolve("data")).resolve("alice");
    Files.writeString(home, "not a directory");

    assertThatThrownBy(() -> factory.createFileSystemView(user(home)))
        .isInstanceOf(FtpException.class);
  }

  private static BaseUser user(Path home) {
    BaseUser user = new BaseUser();
    user.setName("alice");
    user.setHomeDirectory(home.toString());
    user.setAuthorities(List.of(new WritePermission()));
    return user;
  }
}

package dev.ftpoperator.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ftpserver.ftplet.FileSystemFactory;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.usermanager.impl.WriteRequest;

/** Gives each logged-in user a view confined to their home, creating the home on first login. */
public final class HomeFileSystemFactory implements FileSystemFactory {

  @Override
  public FileSystemView createFileSystemView(User user) throws FtpException {
    Path home = Path.of(user.getHomeDirectory());
    try {
      // every login but the first finds the home: one stat, where createDirectories would try a
      // mkdir and build an exception for the existing directory
      if (!Files.isDirectory(home)) {
        Files.createDirectories(home);
      }
      boolean readOnly = user.authorize(new WriteRequest()) == null;
      return new HomeFileSystemView(new UserHome(home.toRealPath(), readOnly));
    } catch (IOException e) {
      throw new FtpException("cannot prepare home directory for " + user.getName(), e);
    }
  }
}

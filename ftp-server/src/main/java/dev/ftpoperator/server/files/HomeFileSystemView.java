package dev.ftpoperator.server.files;

import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpFile;

/**
 * A session's view of its home: the working directory and path resolution, never above the home
 * root.
 */
final class HomeFileSystemView implements FileSystemView {

  private final UserHome home;
  private VirtualPath workingDirectory = VirtualPath.ROOT;

  HomeFileSystemView(UserHome home) {
    this.home = home;
  }

  @Override
  public FtpFile getHomeDirectory() {
    return new HomeFile(home, VirtualPath.ROOT);
  }

  @Override
  public FtpFile getWorkingDirectory() {
    return new HomeFile(home, workingDirectory);
  }

  @Override
  public boolean changeWorkingDirectory(String dir) {
    VirtualPath target = workingDirectory.resolve(dir);
    if (!new HomeFile(home, target).isDirectory()) {
      return false;
    }
    workingDirectory = target;
    return true;
  }

  @Override
  public FtpFile getFile(String file) {
    return new HomeFile(home, workingDirectory.resolve(file));
  }

  @Override
  public boolean isRandomAccessible() {
    return true;
  }

  @Override
  public void dispose() {}
}

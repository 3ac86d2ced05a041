package dev.ftpoperator.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removes the temporary directories that test helpers owning a server make, once that server has
 * stopped (tests of their own use JUnit's {@code @TempDir}).
 */
public final class TempDirectories {

  private TempDirectories() {}

  /**
   * Deletes {@code root} and everything under it, symbolic links as links; a missing tree is fine.
   * A file that appears while walking (a server thread finishing late) is caught by walking again.
   */
  public static void deleteTree(Path root) {
    for (int attempt = 1; ; attempt++) {
      try {
        walkAndDelete(root);
        return;
      } catch (DirectoryNotEmptyException late) {
        if (attempt == 3) {
          throw new UncheckedIOException("could not delete " + root, late);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete " + root, e);
      }
    }
  }

  private static void walkAndDelete(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}

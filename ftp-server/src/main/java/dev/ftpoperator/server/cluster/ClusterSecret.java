package dev.ftpoperator.server.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The key the replicas authenticate each other with: the secret file's bytes, as they are. */
final class ClusterSecret {

  static final int MIN_BYTES = 32;

  private ClusterSecret() {}

  static byte[] read(Path file) {
    byte[] secret;
    try {
      secret = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "FTP_CLUSTER_SECRET_FILE " + file + " cannot be read: " + e.getMessage());
    }
    if (secret.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "FTP_CLUSTER_SECRET_FILE "
              + file
              + " holds "
              + secret.length
              + " bytes, at least "
              + MIN_BYTES
              + " are needed");
    }
    return secret;
  }
}

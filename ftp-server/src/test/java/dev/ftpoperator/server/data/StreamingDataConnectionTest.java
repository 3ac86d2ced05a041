package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

class StreamingDataConnectionTest {

  private static final int MIB = 1024 * 1024;

  @Test
  void aBinaryDownloadToAReaderSlowerThanTheServerArrivesWholeFromTheRestartOffset()
      throws Exception {
    try (FtpTestServer server = FtpTestServer.start()) {
      byte[] content = new byte[24 * MIB];
      new Random(7).nextBytes(content);
      Files.createDirectories(server.dataDir().resolve("alice"));
      Files.write(server.dataDir().resolve("alice/big.bin"), content);
      int offset = 1000;
      FTPClient client = server.alice();
      client.setRestartOffset(offset);
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      long total = 0;
      try (InputStream download = client.retrieveFileStream("big.bin")) {
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = download.read(chunk)) != -1) {
          received.update(chunk, 0, read);
          total += read;
          if (total % (4 * MIB) < read) {
            // slower than the server: its socket buffer fills and it has to wait for room
            Thread.sleep(50);
          }
        }
      }
      assertThat(client.completePendingCommand()).as(client.getReplyString()).isTrue();
      assertThat(total).isEqualTo(content.length - offset);
      assertThat(received.digest())
          .isEqualTo(
              MessageDigest.getInstance("SHA-256")
                  .digest(Arrays.copyOfRange(content, offset, content.length)));
    }
  }

  @Test
  void aDownloadWhoseFileIsTruncatedMidwayEndsInsteadOfWaiting() throws Exception {
    try (FtpTestServer server = FtpTestServer.start()) {
      Path file = server.dataDir().resolve("alice/shrinking.bin");
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[64 * MIB]);
      FTPClient client = server.alice();
      long total;
      try (InputStream download = client.retrieveFileStream("shrinking.bin")) {
        total = download.readNBytes(MIB).length;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(2L * MIB);
        }
        // ends at the end of what was sent; a server still waiting would time this read out
        total += download.transferTo(java.io.OutputStream.nullOutputStream());
      }
      client.completePendingCommand();
      assertThat(total).isLessThan(64L * MIB);
      assertThat(client.sendNoOp()).isTrue();
    }
  }
}

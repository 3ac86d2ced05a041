package dev.ftpoperator.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RawControl;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A name with a control character could split a listing line (a forged "226" or a fake entry for
 * the client to act on) or confuse whatever reads the volume later: no command takes one, and names
 * that are on the volume anyway never reach a listing.
 */
class ControlCharactersTest {

  private static final List<String> BAD_NAMES =
      List.of(
          "cr\rname", "nul\0name", "soh\u0001name", "esc\u001bname", "tab\tname", "del\u007fname");
  private static final List<String> PATH_COMMANDS =
      List.of(
          "MKD", "XMKD", "RMD", "XRMD", "CWD", "XCWD", "DELE", "SIZE", "MDTM", "MLST", "STAT",
          "RNFR");
  private static final List<String> DATA_COMMANDS =
      List.of("STOR", "APPE", "STOU", "RETR", "LIST", "NLST", "MLSD");

  private static FtpTestServer server;

  @BeforeAll
  static void start() {
    server = FtpTestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Path home() {
    return server.dataDir().resolve("alice");
  }

  private static boolean anyControlName(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.anyMatch(
          p -> p.getFileName().toString().chars().anyMatch(c -> c < 0x20 || c == 0x7f));
    }
  }

  @Test
  void everyPathCommandRefusesAControlCharacterWith5xx() throws Exception {
    try (RawControl control = RawControl.alice(server)) {
      for (String name : BAD_NAMES) {
        for (String command : PATH_COMMANDS) {
          assertThat(control.command(command + " " + name))
              .as(command + " %s", name)
              .startsWith("5");
        }
        assertThat(control.command("MFMT 20200101000000 " + name)).startsWith("5");
      }
    }
    assertThat(anyControlName(home())).isFalse();
  }

  @Test
  void dataCommandsAndRntoRefuseAControlCharacterAndCreateNothing() throws Exception {
    FTPClient client = server.alice();
    assertThat(client.storeFile("plain.txt", new ByteArrayInputStream("x".getBytes()))).isTrue();
    for (String name : BAD_NAMES) {
      for (String command : DATA_COMMANDS) {
        assertThat(client.epsv()).isEqualTo(229);
        assertThat(client.sendCommand(command, name))
            .as(command + " %s", name)
            .isGreaterThanOrEqualTo(500);
      }
      assertThat(client.rename("plain.txt", name)).as("RNTO %s", name).isFalse();
    }
    client.disconnect();
    assertThat(anyControlName(home())).isFalse();
    assertThat(home().resolve("plain.txt")).exists();
  }

  @Test
  void namesWithControlCharactersAlreadyOnTheVolumeNeverReachAListing() throws Exception {
    // another user's home: the other tests check that alice's never holds such a name
    server.addUser("bob", "pw");
    Path dir = server.dataDir().resolve("bob/listed");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("fine.txt"), "ok");
    Files.writeString(dir.resolve("evil\r\n226 Transfer complete\r\nx.txt"), "forged");
    Files.writeString(dir.resolve("bell\u0007.txt"), "odd");
    Files.createDirectories(dir.resolve("sub\ndir"));
    FTPClient client = server.login("bob", "pw");
    assertThat(client.listNames("listed")).containsExactly("fine.txt");
    FTPFile[] listed = client.listFiles("listed");
    assertThat(listed).extracting(FTPFile::getName).containsExactly("fine.txt");
    assertThat(client.mlistDir("listed")).extracting(FTPFile::getName).containsExactly("fine.txt");
    // the session is intact afterwards: no forged reply was taken for a real one
    assertThat(client.sendNoOp()).isTrue();
    client.disconnect();
  }
}

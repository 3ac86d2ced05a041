package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FTP protocol as a commons-net client sees it: one server for the class, each test in its own
 * files.
 */
class FtpProtocolTest {

  private static FtpTestServer server;

  @BeforeAll
  static void start() {
    server = FtpTestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static byte[] download(FTPClient client, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(client.retrieveFile(name, out)).as(client.getReplyString()).isTrue();
    return out.toByteArray();
  }

  @Test
  void loginWithTheRightPasswordSucceedsAndWithAWrongOneFails() throws Exception {
    FTPClient good = server.connect();
    assertThat(good.login("alice", "secret")).isTrue();
    assertThat(good.getReplyCode()).isEqualTo(230);
    good.disconnect();

    FTPClient bad = server.connect();
    assertThat(bad.login("alice", "wrong")).isFalse();
    assertThat(bad.getReplyCode()).isEqualTo(530);
    bad.disconnect();

    FTPClient unknown = server.connect();
    assertThat(unknown.login("nobody", "secret")).isFalse();
    assertThat(unknown.getReplyCode()).isEqualTo(530);
    unknown.disconnect();
  }

  @Test
  void pasvAdvertisesTheBindAddressAndAPortInsideTheRange() throws Exception {
    FTPClient client = server.alice();
    assertThat(client.pasv()).isEqualTo(227);
    Matcher m =
        Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)")
            .matcher(client.getReplyString());
    assertThat(m.find()).isTrue();
    assertThat(m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4))
        .isEqualTo("127.0.0.1");
    int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
    assertThat(port).isBetween(server.passivePorts().min(), server.passivePorts().max());
    client.disconnect();
  }

  @Test
  void epsvAdvertisesOnlyAPortInsideTheRange() throws Exception {
    FTPClient client = server.alice();
    assertThat(client.epsv()).isEqualTo(229);
    Matcher m = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)").matcher(client.getReplyString());
    assertThat(m.find()).isTrue();
    assertThat(Integer.parseInt(m.group(1)))
        .isBetween(server.passivePorts().min(), server.passivePorts().max());
    client.disconnect();
  }

  @Test
  void passiveUploadAndDownloadKeepEveryByte() throws Exception {
    byte[] content = randomBytes(3 * 1024 * 1024 + 17, 1);
    FTPClient client = server.alice();
    assertThat(client.storeFile("passive.bin", new ByteArrayInputStream(content))).isTrue();
    assertThat(sha256(download(client, "passive.bin"))).isEqualTo(sha256(content));
    assertThat(sha256(Files.readAllBytes(server.dataDir().resolve("alice/passive.bin"))))
        .isEqualTo(sha256(content));
    client.disconnect();
  }

  @Test
  void extendedPassiveTransfersKeepEveryByte() throws Exception {
    byte[] content = randomBytes(200_000, 2);
    FTPClient client = server.alice();
    client.setUseEPSVwithIPv4(true);
    assertThat(client.storeFile("epsv.bin", new ByteArrayInputStream(content))).isTrue();
    assertThat(download(client, "epsv.bin")).isEqualTo(content);
    client.disconnect();
  }

  @Test
  void activeModeUploadAndDownloadKeepEveryByte() throws Exception {
    byte[] content = randomBytes(1024 * 1024, 3);
    FTPClient client = server.alice();
    client.enterLocalActiveMode();
    client.setActiveExternalIPAddress("127.0.0.1");
    assertThat(client.storeFile("active.bin", new ByteArrayInputStream(content)))
        .as(client.getReplyString())
        .isTrue();
    assertThat(sha256(download(client, "active.bin"))).isEqualTo(sha256(content));
    client.disconnect();
  }

  @Test
  void eprtActiveModeDeliversTheFileToTheClientsListener() throws Exception {
    byte[] content = randomBytes(100_000, 4);
    FTPClient client = server.alice();
    assertThat(client.storeFile("eprt.bin", new ByteArrayInputStream(content))).isTrue();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(client.sendCommand("EPRT", "|1|127.0.0.1|" + listener.getLocalPort() + "|"))
          .isEqualTo(200);
      assertThat(client.sendCommand("RETR", "eprt.bin")).isEqualTo(150);
      try (Socket data = listener.accept();
          InputStream in = data.getInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo(content);
      }
      assertThat(client.getReply()).isEqualTo(226);
    }
    client.disconnect();
  }

  @Test
  void listMlsdAndNlstShowTheDirectoryContents() throws Exception {
    FTPClient client = server.alice();
    assertThat(client.makeDirectory("listing")).isTrue();
    assertThat(client.changeWorkingDirectory("listing")).isTrue();
    client.storeFile("one.txt", new ByteArrayInputStream("1".getBytes(StandardCharsets.UTF_8)));
    client.storeFile("two.txt", new ByteArrayInputStream("22".getBytes(StandardCharsets.UTF_8)));
    assertThat(client.makeDirectory("sub")).isTrue();

    FTPFile[] list = client.listFiles();
    assertThat(Arrays.stream(list).map(FTPFile::getName))
        .containsExactlyInAnyOrder("one.txt", "two.txt", "sub");
    assertThat(
            Arrays.stream(list)
                .filter(f -> f.getName().equals("two.txt"))
                .findFirst()
                .orElseThrow()
                .getSize())
        .isEqualTo(2);

    FTPFile[] mlsd = client.mlistDir();
    assertThat(Arrays.stream(mlsd).map(FTPFile::getName))
        .containsExactlyInAnyOrder("one.txt", "two.txt", "sub");
    assertThat(Arrays.stream(mlsd).filter(FTPFile::isDirectory).map(FTPFile::getName))
        .containsExactly("sub");

    assertThat(client.listNames()).containsExactlyInAnyOrder("one.txt", "two.txt", "sub");
    client.disconnect();
  }

  @Test
  void renameMovesAFileAndDeleteRemovesIt() throws Exception {
    FTPClient client = server.alice();
    client.storeFile("before.txt", new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)));
    assertThat(client.rename("before.txt", "after.txt")).isTrue();
    assertThat(client.listNames()).contains("after.txt").doesNotContain("before.txt");
    assertThat(client.deleteFile("after.txt")).isTrue();
    assertThat(client.listNames()).doesNotContain("after.txt");
    assertThat(client.deleteFile("after.txt")).isFalse();
    assertThat(client.getReplyCode()).isBetween(450, 559);
    client.disconnect();
  }

  @Test
  void mkdirAndRmdirCreateAndRemoveDirectories() throws Exception {
    FTPClient client = server.alice();
    assertThat(client.makeDirectory("made")).isTrue();
    assertThat(Files.isDirectory(server.dataDir().resolve("alice/made"))).isTrue();
    assertThat(client.changeWorkingDirectory("made")).isTrue();
    assertThat(client.printWorkingDirectory()).isEqualTo("/made");
    assertThat(client.changeToParentDirectory()).isTrue();
    assertThat(client.removeDirectory("made")).isTrue();
    assertThat(Files.exists(server.dataDir().resolve("alice/made"))).isFalse();
    client.disconnect();
  }

  @Test
  void sizeAndMdtmReportTheStoredFile() throws Exception {
    FTPClient client = server.alice();
    client.storeFile("sized.bin", new ByteArrayInputStream(randomBytes(12345, 5)));
    Instant modified = Instant.parse("2024-01-02T03:04:05Z");
    Files.setLastModifiedTime(server.dataDir().resolve("alice/sized.bin"), FileTime.from(modified));
    assertThat(client.getSize("sized.bin")).isEqualTo("12345");
    assertThat(client.getModificationTime("sized.bin")).startsWith("20240102030405");
    client.disconnect();
  }

  @Test
  void restResumesBothDownloadAndUploadAtTheOffset() throws Exception {
    byte[] content = randomBytes(500_000, 6);
    FTPClient client = server.alice();
    client.storeFile("resume.bin", new ByteArrayInputStream(Arrays.copyOf(content, 200_000)));
    client.setRestartOffset(200_000);
    assertThat(
            client.storeFile(
                "resume.bin",
                new ByteArrayInputStream(Arrays.copyOfRange(content, 200_000, content.length))))
        .isTrue();
    assertThat(download(client, "resume.bin")).isEqualTo(content);

    client.setRestartOffset(300_000);
    assertThat(download(client, "resume.bin"))
        .isEqualTo(Arrays.copyOfRange(content, 300_000, content.length));
    client.disconnect();
  }

  @Test
  void asciiModeConvertsLineEndsAndBinaryModeDoesNot() throws Exception {
    FTPClient client = server.alice();
    byte[] unix = "one\ntwo\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(client.storeFile("text.txt", new ByteArrayInputStream(unix))).isTrue();

    // the client keeps its binary stream handling; only the server is switched to ASCII, so we see
    // the wire bytes
    assertThat(client.sendCommand("TYPE", "A")).isEqualTo(200);
    assertThat(new String(download(client, "text.txt"), StandardCharsets.US_ASCII))
        .isEqualTo("one\r\ntwo\r\n");
    assertThat(
            client.storeFile(
                "upload-ascii.txt",
                new ByteArrayInputStream("a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII))))
        .isTrue();
    assertThat(Files.readString(server.dataDir().resolve("alice/upload-ascii.txt")))
        .isEqualTo("a\nb\n");

    assertThat(client.sendCommand("TYPE", "I")).isEqualTo(200);
    assertThat(download(client, "text.txt")).isEqualTo(unix);
    client.disconnect();
  }

  @Test
  void homeDirectoryIsCreatedAtFirstLogin() throws Exception {
    server.addUser("newcomer", "pw");
    assertThat(server.dataDir().resolve("newcomer")).doesNotExist();
    FTPClient client = server.login("newcomer", "pw");
    assertThat(server.dataDir().resolve("newcomer")).isDirectory();
    assertThat(client.printWorkingDirectory()).isEqualTo("/");
    client.disconnect();
  }

  @Test
  void aUserWithAHomeSettingWorksInThatDirectory() throws Exception {
    server.addUser("shared", "pw\nhome=projects/shared");
    FTPClient client = server.login("shared", "pw");
    client.storeFile("s.txt", new ByteArrayInputStream("s".getBytes(StandardCharsets.UTF_8)));
    assertThat(server.dataDir().resolve("projects/shared/s.txt")).exists();
    client.disconnect();
  }

  @Test
  void featAdvertisesWhatTheServerDoesAndNoCompressionOrTlsWhenOff() throws Exception {
    FTPClient client = server.alice();
    assertThat(client.features()).isTrue();
    assertThat(client.getReplyString())
        .contains("EPSV")
        .contains("SIZE")
        .contains("MLST")
        .doesNotContain("MODE Z")
        .doesNotContain("AUTH TLS");
    assertThat(client.sendCommand("MODE", "Z")).isEqualTo(504);
    client.disconnect();
  }

  @Test
  void commandsBeforeLoginAreRefused() throws Exception {
    FTPClient client = server.connect();
    assertThat(client.sendCommand("LIST")).isEqualTo(530);
    assertThat(FTPReply.isPositiveCompletion(client.sendCommand("NOOP"))).isFalse();
    client.disconnect();
  }
}

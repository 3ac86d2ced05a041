package dev.ftpoperator.server.listing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LIST, NLST, MLSD and STAT through a running server and commons-net: what each answers, and that
 * neither a large directory nor a hostile wildcard holds the server.
 */
class ListingCommandTest {

  private static FtpTestServer server;
  private static Path home;

  @BeforeAll
  static void start() throws Exception {
    server = FtpTestServer.start();
    home = Files.createDirectories(server.dataDir().resolve("alice"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWildcardOfManyStarsOverALongNameIsAnsweredAtOnceAndTheSessionGoesOn() throws Exception {
    Path dir = Files.createDirectories(home.resolve("hostile"));
    Files.writeString(dir.resolve("a".repeat(200)), "x");
    FTPClient client = server.alice();
    // MINA's matcher would still be trying splits of the name long after this timeout
    client.setSoTimeout(20_000);

    String[] none = client.listNames("hostile/" + "*a".repeat(40) + "*b");
    String[] one = client.listNames("hostile/" + "*a".repeat(40) + "*");
    String stat = statReply(client, "hostile/" + "*a".repeat(40) + "*b");

    assertThat(none).isEmpty();
    assertThat(one).containsExactly("a".repeat(200));
    assertThat(stat).startsWith("212").doesNotContain("aaaa");
    assertThat(client.sendNoOp()).isTrue();
    client.disconnect();
  }

  @Test
  void aDirectoryOfThousandsArrivesWholeInEachTypeAndEachListing() throws Exception {
    Path dir = Files.createDirectories(home.resolve("large"));
    for (int i = 0; i < 4_000; i++) {
      Files.writeString(dir.resolve(String.format("entry-%05d-of-a-large-directory.txt", i)), "x");
    }
    FTPClient client = server.alice();
    assertThat(client.changeWorkingDirectory("large")).isTrue();

    for (int type : new int[] {FTP.ASCII_FILE_TYPE, FTP.BINARY_FILE_TYPE}) {
      assertThat(client.setFileType(type)).isTrue();
      String[] names = client.listNames();
      FTPFile[] lines = client.listFiles();
      FTPFile[] facts = client.mlistDir();

      assertThat(names).hasSize(4_000).startsWith("entry-00000-of-a-large-directory.txt");
      assertThat(names[3_999]).isEqualTo("entry-03999-of-a-large-directory.txt");
      assertThat(lines).hasSize(4_000).allMatch(f -> f.isFile() && f.getSize() == 1);
      assertThat(facts).hasSize(4_000).allMatch(f -> f.isFile() && f.getSize() == 1);
    }
    client.disconnect();
  }

  @Test
  void aListingOfAMissingPathIsRefusedWithoutADataConnection() throws Exception {
    FTPClient client = server.alice();

    for (String command : new String[] {"LIST", "NLST", "MLSD"}) {
      assertThat(client.sendCommand("PASV")).isEqualTo(227);
      assertThat(client.sendCommand(command, "no-such-dir")).as(command).isEqualTo(450);
    }
    client.disconnect();
  }

  @Test
  void aWildcardInADirectoryNameIsASyntaxError() throws Exception {
    FTPClient client = server.alice();

    assertThat(client.sendCommand("PASV")).isEqualTo(227);
    assertThat(client.sendCommand("LIST", "*/x")).isEqualTo(501);
    assertThat(client.getReplyString()).contains("wildcard may only stand in the last name");
    assertThat(client.sendCommand("STAT", "*/x")).isEqualTo(501);
    client.disconnect();
  }

  @Test
  void statListsAPathOnTheControlConnectionAndWithoutOneGivesTheServersStatus() throws Exception {
    Path dir = Files.createDirectories(home.resolve("stat"));
    Files.writeString(dir.resolve("report.csv"), "12345");
    Files.setPosixFilePermissions(
        dir.resolve("report.csv"), PosixFilePermissions.fromString("rw-r-----"));
    Files.createDirectories(dir.resolve("archive"));
    FTPClient client = server.alice();

    String directory = statReply(client, "stat");
    String file = statReply(client, "stat/report.csv");

    assertThat(directory).startsWith("212");
    assertThat(directory.lines().filter(line -> line.startsWith("d")))
        .singleElement()
        .asString()
        .endsWith(" archive");
    assertThat(directory).containsPattern("-rw-r-----   1 ftp ftp            5 .* report.csv");
    assertThat(file).startsWith("213").contains(" report.csv");
    assertThat(client.sendCommand("STAT", "stat/none")).isEqualTo(450);
    assertThat(client.sendCommand("STAT")).isEqualTo(211);
    assertThat(client.getReplyString()).contains("Logged in as alice");
    client.disconnect();
  }

  @Test
  void statOfADirectoryLargerThanTheReplyQueueArrivesWholeWithTheLinesOfList() throws Exception {
    Path dir = Files.createDirectories(home.resolve("stat-large"));
    for (int i = 0; i < 3_000; i++) {
      Files.writeString(dir.resolve(String.format("%05d-%s", i, "n".repeat(60))), "x");
    }
    FTPClient client = server.alice();

    List<String> stat = Arrays.asList(statReply(client, "stat-large").split("\n"));
    String[] names = client.listNames("stat-large");

    assertThat(String.join("\n", stat).length())
        .as("more than FTP_MAX_QUEUED_BYTES")
        .isGreaterThan(65_536 * 3);
    assertThat(stat.get(0)).isEqualTo("212-");
    assertThat(stat.get(stat.size() - 1)).isEqualTo("212 End of status.");
    assertThat(stat.subList(1, stat.size() - 1))
        .hasSize(3_000)
        .allMatch(line -> line.startsWith("-rw-r--r--   1 ftp ftp            1 "))
        .map(line -> line.substring(line.lastIndexOf(' ') + 1))
        .containsExactly(names);
    assertThat(client.sendNoOp()).isTrue();
    client.disconnect();
  }

  @Test
  void aClientThatReadsNoStatReplyLosesItsSessionAfterTheStallTimeout() throws Exception {
    try (FtpTestServer stalling =
        FtpTestServer.start(Map.of("FTP_TRANSFER_STALL_TIMEOUT_SECONDS", "2"))) {
      Path dir = Files.createDirectories(stalling.dataDir().resolve("alice/huge"));
      // more than the kernel's socket buffers hold between the two ends: about 6 MB of lines
      for (int i = 0; i < 24_000; i++) {
        Files.writeString(dir.resolve(String.format("%05d-%s", i, "n".repeat(200))), "");
      }
      try (Socket socket = new Socket()) {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(FtpTestServer.HOST, stalling.port()));
        socket.setSoTimeout(10_000);
        BufferedReader replies =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream commands = socket.getOutputStream();
        assertThat(replies.readLine()).startsWith("220");
        commands.write("USER alice\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(replies.readLine()).startsWith("331");
        commands.write("PASS secret\r\nSTAT huge\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(replies.readLine()).startsWith("230");
        // the reply has begun: the directory is read (on a busy machine that alone took over 5 s,
        // and a reply that began after the pause below went out whole, to a session left open)
        assertThat(replies.readLine()).startsWith("212-");

        Thread.sleep(5_000); // the client reads nothing for more than the stall timeout
        String last = null;
        int lines = 1;
        for (String line = replies.readLine(); line != null; line = replies.readLine()) {
          last = line;
          lines++;
        }

        assertThat(lines).as("the session closed before the reply's end").isLessThan(24_000);
        assertThat(last).doesNotStartWith("212 ");
      }
      assertThat(stalling.alice().sendNoOp()).as("the server serves on").isTrue();
    }
  }

  @Test
  void aDirectoryThatWouldTakeMoreThanTheListingMemoryGets451AndTheSessionGoesOn()
      throws Exception {
    try (FtpTestServer small = FtpTestServer.start(Map.of("FTP_LISTING_MEMORY_MB", "1"))) {
      Path big = Files.createDirectories(small.dataDir().resolve("alice/big"));
      // 5,000 entries cost about 1.4 MiB: 200 bytes and twice the name each
      for (int i = 0; i < 5_000; i++) {
        Files.writeString(big.resolve(String.format("entry-%05d-%s", i, "n".repeat(30))), "");
      }
      Files.writeString(small.dataDir().resolve("alice/small.txt"), "x");
      FTPClient client = small.alice();

      for (String command : new String[] {"LIST", "NLST", "MLSD"}) {
        client.pasv();
        assertThat(client.sendCommand(command, "big")).as(command).isEqualTo(451);
        assertThat(client.getReplyString())
            .isEqualTo(
                "451 This listing needs more than the 1 MiB free of the 1 MiB this server keeps"
                    + " for listings\r\n");
      }
      assertThat(client.sendCommand("STAT", "big")).isEqualTo(451);
      assertThat(client.listNames()).containsExactly("big", "small.txt");
      assertThat(client.sendNoOp()).isTrue();
      client.disconnect();
      assertThat(small.http("/metrics").body())
          .contains("ftp_listings_refused_total 4\n")
          .contains("ftp_listing_memory_limit_bytes 1048576\n")
          .contains("ftp_listing_memory_reserved_bytes 0\n");
    }
  }

  private static String statReply(FTPClient client, String argument) throws Exception {
    client.sendCommand("STAT", argument);
    return String.join("\n", Arrays.asList(client.getReplyStrings()));
  }
}

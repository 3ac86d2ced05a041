package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.tls.TlsTestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FTP clients as processes: curl, lftp and Python's ftplib against the server. */
class ExternalClientsTest {

  private static FtpTestServer server;

  @TempDir Path work;

  @BeforeAll
  static void start() {
    server = FtpTestServer.start(Map.of(), 6, root -> {});
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private String url(String path) {
    return "ftp://alice:secret@" + FtpTestServer.HOST + ":" + server.port() + "/" + path;
  }

  private Path randomFile(String name, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Files.write(work.resolve(name), bytes);
  }

  private static void assertOk(ExternalTool.Result result) {
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void curlUploadsAndDownloadsInExtendedPassiveMode() throws Exception {
    ExternalTool.require("curl");
    Path file = randomFile("curl-epsv.bin", 2_000_000, 1);
    assertOk(ExternalTool.run(work, "curl", "-sS", "-T", file.toString(), url("curl-epsv.bin")));
    assertOk(ExternalTool.run(work, "curl", "-sS", "-o", "back.bin", url("curl-epsv.bin")));
    assertThat(work.resolve("back.bin")).hasSameBinaryContentAs(file);
  }

  @Test
  void curlWithEpsvDisabledUsesPasv() throws Exception {
    ExternalTool.require("curl");
    Path file = randomFile("curl-pasv.bin", 500_000, 2);
    assertOk(
        ExternalTool.run(
            work, "curl", "-sS", "--disable-epsv", "-T", file.toString(), url("curl-pasv.bin")));
    ExternalTool.Result verbose =
        ExternalTool.run(
            work, "curl", "-sS", "-v", "--disable-epsv", "-o", "back.bin", url("curl-pasv.bin"));
    assertOk(verbose);
    assertThat(verbose.output()).contains("227 Entering Passive Mode").doesNotContain("EPSV");
    assertThat(work.resolve("back.bin")).hasSameBinaryContentAs(file);
  }

  @Test
  void curlInActiveModeReceivesTheFile() throws Exception {
    ExternalTool.require("curl");
    Path file = randomFile("curl-active.bin", 500_000, 3);
    assertOk(
        ExternalTool.run(
            work, "curl", "-sS", "-P", "-", "-T", file.toString(), url("curl-active.bin")));
    ExternalTool.Result verbose =
        ExternalTool.run(
            work, "curl", "-sS", "-v", "-P", "-", "-o", "back.bin", url("curl-active.bin"));
    assertOk(verbose);
    assertThat(verbose.output()).containsPattern("(EPRT|PORT) ");
    assertThat(work.resolve("back.bin")).hasSameBinaryContentAs(file);
  }

  @Test
  void curlRequiringTlsWorksWithExplicitFtpsAndSessionReuseRequired() throws Exception {
    ExternalTool.require("curl");
    try (FtpTestServer tls = TlsTestServers.start("required", true)) {
      Path file = randomFile("curl-tls.bin", 1_000_000, 4);
      String target =
          "ftp://alice:secret@" + FtpTestServer.HOST + ":" + tls.port() + "/curl-tls.bin";
      assertOk(
          ExternalTool.run(work, "curl", "-sS", "-k", "--ssl-reqd", "-T", file.toString(), target));
      assertOk(ExternalTool.run(work, "curl", "-sS", "-k", "--ssl-reqd", "-o", "back.bin", target));
      assertThat(work.resolve("back.bin")).hasSameBinaryContentAs(file);
      assertOk(
          ExternalTool.run(
              work,
              "curl",
              "-sS",
              "-k",
              "--ssl-reqd",
              "--disable-epsv",
              "-o",
              "back2.bin",
              target));
      assertThat(work.resolve("back2.bin")).hasSameBinaryContentAs(file);

      // a client that does not resume the TLS session on the data connection is refused
      ExternalTool.Result noReuse =
          ExternalTool.run(
              work, "curl", "-sS", "-k", "--ssl-reqd", "--no-sessionid", "-o", "nope.bin", target);
      assertThat(noReuse.exitCode()).isNotZero();

      // a client that will not do TLS cannot log in
      ExternalTool.Result plain = ExternalTool.run(work, "curl", "-sS", "-o", "plain.bin", target);
      assertThat(plain.exitCode()).as(plain.output()).isNotZero();
    }
  }

  @Test
  void curlRequiringTlsRefusesAServerWithoutTls() throws Exception {
    ExternalTool.require("curl");
    ExternalTool.Result result =
        ExternalTool.run(work, "curl", "-sS", "--ssl-reqd", "-o", "x", url("anything"));
    assertThat(result.exitCode()).isEqualTo(64);
  }

  @Test
  void lftpMirrorsATreeUpAndBackDown() throws Exception {
    ExternalTool.require("lftp");
    Files.createDirectories(work.resolve("tree/sub/deeper"));
    randomFile("tree/a.bin", 100_000, 5);
    randomFile("tree/sub/b.bin", 300_000, 6);
    randomFile("tree/sub/deeper/c.bin", 1, 7);
    Files.writeString(work.resolve("tree/notes.txt"), "hello\n");
    String script =
        "set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 10; "
            + "mirror -R tree remote-tree; mirror remote-tree copy; bye";
    assertOk(
        ExternalTool.run(
            work,
            "lftp",
            "-u",
            "alice,secret",
            "-p",
            Integer.toString(server.port()),
            "-e",
            script,
            FtpTestServer.HOST));
    // up: the server holds the tree; down: the copy is the same tree, no file more or less
    Path tree = work.resolve("tree");
    Path onServer = server.dataDir().resolve("alice/remote-tree");
    Path copy = work.resolve("copy");
    assertThat(relativeFiles(onServer)).isEqualTo(relativeFiles(tree)).hasSize(4);
    assertThat(relativeFiles(copy)).isEqualTo(relativeFiles(tree));
    for (Path file : relativeFiles(tree)) {
      assertThat(onServer.resolve(file)).hasSameBinaryContentAs(tree.resolve(file));
      assertThat(copy.resolve(file)).hasSameBinaryContentAs(tree.resolve(file));
    }
  }

  @Test
  void lftpUsesFtpsInPassiveAndActiveModeResumingTheTlsSession() throws Exception {
    ExternalTool.require("lftp");
    try (FtpTestServer tls = TlsTestServers.start("required", true)) {
      Path file = randomFile("lftp-tls.bin", 700_000, 9);
      String script =
          "set ftp:ssl-force yes; set ftp:ssl-protect-data yes; set ssl:verify-certificate no; "
              + "set net:max-retries 1; set net:timeout 10; put lftp-tls.bin; get lftp-tls.bin -o passive.bin; "
              + "set ftp:passive-mode off; get lftp-tls.bin -o active.bin; bye";
      assertOk(
          ExternalTool.run(
              work,
              "lftp",
              "-u",
              "alice,secret",
              "-p",
              Integer.toString(tls.port()),
              "-e",
              script,
              FtpTestServer.HOST));
      assertThat(work.resolve("passive.bin")).hasSameBinaryContentAs(file);
      assertThat(work.resolve("active.bin")).hasSameBinaryContentAs(file);
    }
  }

  /** The regular files under a directory, as paths relative to it, sorted. */
  private static List<Path> relativeFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  @Test
  void pythonFtplibStoresListsAndRetrieves() throws Exception {
    ExternalTool.require("python3");
    Path file = randomFile("py.bin", 250_000, 8);
    String program =
        String.join(
            "\n",
            "import ftplib, hashlib, io, sys",
            "ftp = ftplib.FTP()",
            "ftp.connect('" + FtpTestServer.HOST + "', " + server.port() + ", timeout=10)",
            "ftp.login('alice', 'secret')",
            "ftp.set_pasv(True)",
            "data = open('py.bin', 'rb').read()",
            "ftp.storbinary('STOR py.bin', io.BytesIO(data))",
            "assert 'py.bin' in ftp.nlst(), ftp.nlst()",
            "got = io.BytesIO()",
            "ftp.retrbinary('RETR py.bin', got.write)",
            "assert hashlib.sha256(got.getvalue()).hexdigest() == hashlib.sha256(data).hexdigest()",
            "assert ftp.size('py.bin') == len(data)",
            "ftp.mkd('pydir'); ftp.cwd('pydir'); ftp.cwd('..'); ftp.rmd('pydir')",
            "lines = []",
            "ftp.retrlines('LIST', lines.append)",
            "assert any('py.bin' in l for l in lines), lines",
            "ftp.quit()",
            "print('ftplib ok')");
    ExternalTool.Result result = ExternalTool.run(work, "python3", "-c", program);
    assertOk(result);
    assertThat(result.output()).contains("ftplib ok");
    // what ftplib stored is on the server as sent, and the directory it removed is gone
    assertThat(server.dataDir().resolve("alice/py.bin")).hasSameBinaryContentAs(file);
    assertThat(server.dataDir().resolve("alice/pydir")).doesNotExist();
  }
}

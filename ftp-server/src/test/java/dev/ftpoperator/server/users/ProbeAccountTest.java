package dev.ftpoperator.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RecordingHandler;
import dev.ftpoperator.server.tls.TestCertificates;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's probe account as a real client (commons-net) meets it: it logs in with the
 * password from its own file, reads an empty home, can write nothing, climbs nowhere, and is
 * invisible to and blind to the users; its password never reaches the log.
 */
class ProbeAccountTest {

  private static final String PASSWORD = "probe-Secret-7f3a9c";
  private static final List<String> LOGGED = new ArrayList<>();
  private static final Handler CAPTURE =
      new RecordingHandler(
          record -> {
            // formatted before taking the lock: a parameter's toString may take locks of its own
            String line =
                record.getMessage()
                    + " "
                    + java.util.Arrays.toString(record.getParameters())
                    + " "
                    + record.getThrown();
            synchronized (LOGGED) {
              LOGGED.add(line);
            }
          });

  private static FtpTestServer server;

  @BeforeAll
  static void start() {
    // what the server logs at its default level (info)
    Logger.getLogger("").addHandler(CAPTURE);
    server =
        FtpTestServer.start(
            root ->
                Map.of(
                    "FTP_PROBE_PASSWORD_FILE", root.resolve("probe-password").toString(),
                    "FTP_PROBE_HOME", root.resolve("probe-home").toString()),
            4,
            root -> Files.writeString(root.resolve("probe-password"), PASSWORD + "\n"));
  }

  @AfterAll
  static void stop() {
    server.close();
    Logger.getLogger("").removeHandler(CAPTURE);
  }

  private static FTPClient probe() throws Exception {
    return server.login(ProbeAccount.NAME, PASSWORD);
  }

  @Test
  void theProbeLogsInAndListsItsEmptyHomeOverPasvAndEpsv() throws Exception {
    FTPClient client = probe();
    assertThat(client.printWorkingDirectory()).isEqualTo("/");
    assertThat(client.listFiles()).isEmpty();
    assertThat(client.getReplyCode()).isEqualTo(226);
    client.setUseEPSVwithIPv4(true);
    assertThat(client.listFiles()).isEmpty();
    assertThat(client.getReplyCode()).isEqualTo(226);
    client.disconnect();
  }

  @Test
  void onAPodThatKnowsItsNameTheProbeListsOnlyTheMarkerNamingIt() throws Exception {
    try (FtpTestServer named =
        FtpTestServer.start(
            root ->
                Map.of(
                    "FTP_PROBE_PASSWORD_FILE", root.resolve("probe-password").toString(),
                    "FTP_PROBE_HOME", root.resolve("probe-home").toString(),
                    "FTP_POD_NAME", "shared-2"),
            4,
            root -> Files.writeString(root.resolve("probe-password"), PASSWORD + "\n"))) {
      FTPClient client = named.login(ProbeAccount.NAME, PASSWORD);
      assertThat(client.listFiles())
          .extracting(FTPFile::getName)
          .containsExactly(ProbeAccount.POD_MARKER_PREFIX + "shared-2");
      client.disconnect();
      FTPClient alice = named.alice();
      for (FTPFile file : alice.listFiles("/")) {
        assertThat(file.getName()).doesNotContain("shared-2");
      }
      alice.disconnect();
    }
  }

  @Test
  void theProbeCanWriteNothing() throws Exception {
    FTPClient client = probe();
    assertThat(
            client.storeFile(
                "x.txt", new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))))
        .isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);
    assertThat(client.makeDirectory("d")).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);
    assertThat(Files.list(probeHome())).isEmpty();
    client.disconnect();
  }

  @Test
  void theProbeSeesNoUsersFiles() throws Exception {
    FTPClient alice = server.alice();
    assertThat(
            alice.storeFile(
                "alice-only.txt", new ByteArrayInputStream("a".getBytes(StandardCharsets.UTF_8))))
        .isTrue();
    alice.disconnect();

    FTPClient client = probe();
    assertThat(client.changeWorkingDirectory("..")).isTrue();
    assertThat(client.printWorkingDirectory()).isEqualTo("/");
    assertThat(client.listFiles("/")).isEmpty();
    assertThat(client.changeWorkingDirectory("/alice")).isFalse();
    assertThat(client.listFiles("../alice")).isEmpty();
    assertThat(client.retrieveFileStream("../alice/alice-only.txt")).isNull();
    client.disconnect();
  }

  @Test
  void noUserSeesTheProbeOrItsHome() throws Exception {
    FTPClient alice = server.alice();
    for (String dir : List.of("/", "..", "../..")) {
      for (FTPFile file : alice.listFiles(dir)) {
        assertThat(file.getName()).doesNotContain("probe");
      }
    }
    assertThat(alice.changeWorkingDirectory(probeHome().toString())).isFalse();
    alice.disconnect();

    UserDirectory users =
        new UserDirectory(
            server.root().resolve("users"),
            server.dataDir(),
            false,
            server.dataDir().resolve("anonymous"),
            java.util.Optional.of(
                new ProbeAccount(server.root().resolve("probe-password"), probeHome())));
    assertThat(users.getAllUserNames()).containsExactly("alice");
    assertThat(probeHome().startsWith(server.dataDir())).isFalse();
  }

  @Test
  void aWrongProbePasswordIsRefusedAndNoPasswordIsLogged() throws Exception {
    FTPClient client = server.connect();
    assertThat(client.login(ProbeAccount.NAME, "guess")).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(530);
    client.disconnect();
    probe().disconnect();
    List<String> logged;
    synchronized (LOGGED) {
      logged = List.copyOf(LOGGED);
    }
    assertThat(logged).anyMatch(line -> line.contains(ProbeAccount.NAME));
    assertThat(logged).noneMatch(line -> line.contains(PASSWORD) || line.contains("guess"));
  }

  @Test
  void aUserFileCannotTakeTheProbesName() throws Exception {
    server.addUser(ProbeAccount.NAME, "mine");
    FTPClient client = server.connect();
    assertThat(client.login(ProbeAccount.NAME, "mine")).isFalse();
    client.disconnect();
    Files.delete(server.root().resolve("users").resolve(ProbeAccount.NAME));
  }

  @Test
  void overRequiredTlsOnlyTheProbeIsExemptFromDataSessionReuse() throws Exception {
    try (FtpTestServer tls =
        FtpTestServer.start(
            root ->
                Map.of(
                    "FTP_TLS_MODE", "required",
                    "FTP_TLS_SESSION_REUSE_REQUIRED", "true",
                    "FTP_TLS_CERT_FILE", root.resolve("tls/tls.crt").toString(),
                    "FTP_TLS_KEY_FILE", root.resolve("tls/tls.key").toString(),
                    "FTP_PROBE_PASSWORD_FILE", root.resolve("probe-password").toString(),
                    "FTP_PROBE_HOME", root.resolve("probe-home").toString()),
            4,
            root -> {
              TestCertificates.writeRsa(root.resolve("tls"), 11);
              Files.writeString(root.resolve("probe-password"), PASSWORD);
            })) {
      FTPSClient probe = ftps(tls, ProbeAccount.NAME, PASSWORD);
      assertThat(probe.listFiles()).isEmpty();
      assertThat(probe.getReplyCode()).as(probe.getReplyString()).isEqualTo(226);
      probe.disconnect();

      // commons-net does not resume the control session: refused for a user
      FTPSClient alice = ftps(tls, "alice", "secret");
      alice.listFiles();
      assertThat(alice.getReplyCode()).isBetween(400, 599);
      alice.disconnect();
    }
  }

  private static FTPSClient ftps(FtpTestServer server, String user, String password)
      throws Exception {
    FTPSClient client = new FTPSClient(false);
    client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
    FtpTestServer.configure(client);
    client.connect(FtpTestServer.HOST, server.port());
    assertThat(client.login(user, password)).as(client.getReplyString()).isTrue();
    client.execPBSZ(0);
    client.execPROT("P");
    client.enterLocalPassiveMode();
    return client;
  }

  private static Path probeHome() {
    return server.root().resolve("probe-home");
  }
}

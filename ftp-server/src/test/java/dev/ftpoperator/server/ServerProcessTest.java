package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.config.OpenFileBudget;
import dev.ftpoperator.server.config.PassivePortRange;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as its own process, configured only by environment variables, stopped with SIGTERM.
 */
class ServerProcessTest {

  private Process process;

  /** The test server's environment, on the given control and HTTP ports. */
  private static Map<String, String> environment(
      Path root, PassivePortRange passive, int control, int http) {
    Map<String, String> env = FtpTestServer.environment(root, passive);
    env.put("FTP_CONTROL_PORT", Integer.toString(control));
    env.put("FTP_HTTP_PORT", Integer.toString(http));
    return env;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts FtpServerMain with the test class path and the given environment; waits until
   * /health/ready says so.
   */
  static Process launch(Path root, Map<String, String> env, int httpPort) throws Exception {
    return launch(root, env, httpPort, List.of());
  }

  /** {@code wrapper}: a command line the java command is appended to (e.g. a mount namespace). */
  static Process launch(Path root, Map<String, String> env, int httpPort, List<String> wrapper)
      throws Exception {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // as the image runs it (ftp-server/pom.xml, jib jvmFlags)
            "-XX:-UsePerfData",
            "-cp",
            System.getProperty("java.class.path"),
            FtpServerMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(root.resolve("server.log").toFile());
    Process started = builder.start();
    await()
        // a JVM start can take long on a loaded machine
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(started.isAlive())
                  .as("server process exited: %s", Files.readString(root.resolve("server.log")))
                  .isTrue();
              try {
                return get(httpPort, "/health/ready").statusCode() == 200;
              } catch (IOException notYet) {
                return false;
              }
            });
    return started;
  }

  /** Before JUnit deletes the test's directory: the process writes its log there. */
  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void sigtermStopsAcceptingLetsTheRunningTransferFinishAndExits(@TempDir Path root)
      throws Exception {
    Files.createDirectories(root.resolve("users"));
    Files.writeString(root.resolve("users/alice"), "secret\n");
    PassivePortRange ports = FreePorts.range(4);
    int control = freePort();
    int http = freePort();
    Map<String, String> env = environment(root, ports, control, http);
    env.put("FTP_SHUTDOWN_GRACE_SECONDS", "20");
    process = launch(root, env, http);

    byte[] big = new byte[48 * 1024 * 1024];
    new java.util.Random(1).nextBytes(big);
    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    client.connect(FtpTestServer.HOST, control);
    assertThat(client.login("alice", "secret")).isTrue();
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.enterLocalPassiveMode();
    assertThat(client.storeFile("big.bin", new ByteArrayInputStream(big))).isTrue();

    InputStream download = client.retrieveFileStream("big.bin");
    byte[] head = download.readNBytes(1024 * 1024);
    process.destroy(); // SIGTERM

    // new connections are refused while the transfer drains
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              try (Socket ignored = new Socket(FtpTestServer.HOST, control)) {
                return false;
              } catch (IOException refused) {
                return true;
              }
            });
    HttpResponse<String> readiness = get(http, "/health/ready");
    assertThat(readiness.statusCode()).as("readiness while draining").isEqualTo(503);
    byte[] rest = download.readAllBytes();
    download.close();
    assertThat(head.length + rest.length).isEqualTo(big.length);
    assertThat(client.completePendingCommand()).isTrue();

    assertThat(process.waitFor(25, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(root.resolve("server.log"));
    assertThat(log).contains("\"message\":\"shutting down").contains("\"message\":\"stopped\"");
  }

  @Test
  void atLogLevelInfoMinasPerRequestLinesStayOffThoughTheHeapIsCollectedDuringStart(
      @TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("users"));
    Files.writeString(root.resolve("users/alice"), "secret\n");
    int control = freePort();
    int http = freePort();
    Map<String, String> env = environment(root, FreePorts.range(2), control, http);
    env.put("FTP_LOG_LEVEL", "info");
    // a 1 MiB young generation: collections all through the start, before MINA makes its loggers
    // (a small pod's heap does the same)
    env.put("JAVA_TOOL_OPTIONS", "-Xmn1m -Xlog:gc");
    process = launch(root, env, http);

    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    client.connect(FtpTestServer.HOST, control);
    assertThat(client.login("alice", "secret")).isTrue();
    assertThat(client.listNames()).isEmpty();
    client.logout();
    client.disconnect();
    process.destroy();
    assertThat(process.waitFor(25, TimeUnit.SECONDS)).isTrue();

    String log = Files.readString(root.resolve("server.log"));
    assertThat(log).contains("Pause Young").contains("login ok user=alice");
    assertThat(log).doesNotContain("\"logger\":\"org.apache.ftpserver");
  }

  @Test
  void anInvalidSettingStopsTheProcessWithAClearMessage(@TempDir Path root) throws Exception {
    String log =
        logOfAStartThatFails(
            root, withOpenFileLimit(null), Map.of("FTP_PASSIVE_PORTS", "30010-30000"));

    assertThat(log).contains("invalid configuration").contains("passive port range");
  }

  @Test
  void aPassiveRangeTheOpenFileLimitCannotHoldWithASessionStopsTheProcessNamingTheFigures(
      @TempDir Path root) throws Exception {
    String log =
        logOfAStartThatFails(
            root,
            withOpenFileLimit(1024),
            FtpTestServer.environment(root, new PassivePortRange(40000, 40999)));

    assertThat(log)
        .contains("invalid configuration")
        .contains("FTP_PASSIVE_PORTS (1000 ports, a listener each)")
        .contains("but this process may open 1024 (ulimit -n)");
  }

  @Test
  void underALowOpenFileLimitTheSessionLimitIsLoweredToWhatFitsShownInMetricsAndTheNextGets421(
      @TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("users"));
    int control = freePort();
    int http = freePort();
    Map<String, String> env = environment(root, FreePorts.range(4), control, http);
    env.put("FTP_MAX_SESSIONS", "500");
    env.put("FTP_MAX_SESSIONS_PER_IP", "500");
    process = launch(root, env, http, withOpenFileLimit(512).subList(0, 4));

    Matcher warning =
        Pattern.compile("at most (\\d+) sessions at once")
            .matcher(Files.readString(root.resolve("server.log")));
    assertThat(warning.find()).as("the warning of the lowered limit").isTrue();
    int fits = Integer.parseInt(warning.group(1));
    // (512 - 64 reserve - the I/O threads' - 4 listeners - what the JVM holds open) / 7
    assertThat(fits).isBetween(40, 62);
    assertThat(get(http, "/metrics").body()).contains("ftp_sessions_limit " + fits + "\n");
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < fits; i++) {
        held.add(greeted(control, "220"));
      }
      held.add(greeted(control, "421 Too many connections to this server"));
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  private static HttpResponse<String> get(int http, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The java command of the server behind bash's ulimit (none when {@code limit} is null); its
   * first four words are the wrapper.
   */
  private static List<String> withOpenFileLimit(Integer limit) {
    return List.of(
        "bash",
        "-c",
        (limit == null ? "" : "ulimit -n " + limit + " && ") + "exec \"$@\"",
        "bash",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        FtpServerMain.class.getName());
  }

  /** Runs the command, which must exit with 2 (invalid configuration); returns its output. */
  private String logOfAStartThatFails(Path root, List<String> command, Map<String, String> env)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    File log = root.resolve("server.log").toFile();
    builder.redirectOutput(log);
    process = builder.start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    return Files.readString(log.toPath());
  }

  private static Socket greeted(int control, String expected) throws IOException {
    Socket socket = new Socket(FtpTestServer.HOST, control);
    socket.setSoTimeout(10_000);
    String greeting =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
            .readLine();
    assertThat(greeting).startsWith(expected);
    return socket;
  }

  @Test
  void aSessionInTheMiddleOfABinaryUploadOrADownloadHoldsNoMoreFilesThanTheBudgetCounts(
      @TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("users"));
    Files.writeString(root.resolve("users/alice"), "secret\n");
    Files.createDirectories(root.resolve("data/alice"));
    Files.write(root.resolve("data/alice/big.bin"), new byte[64 * 1024 * 1024]);
    int sessions = 4;
    int control = freePort();
    int http = freePort();
    Map<String, String> env = environment(root, FreePorts.range(2 * sessions), control, http);
    process = launch(root, env, http);
    Path openFiles = Path.of("/proc", Long.toString(process.pid()), "fd");
    List<FTPClient> clients = new ArrayList<>();
    // held to the end: a stream nobody holds is collected and its connection closed
    List<java.io.Closeable> transfers = new ArrayList<>();
    try {
      // one upload and one download first: the class path's jars are opened when first needed
      FTPClient warmUp = loggedIn(control, clients);
      assertThat(warmUp.storeFile("warm.bin", new ByteArrayInputStream(new byte[1024]))).isTrue();
      assertThat(warmUp.retrieveFile("warm.bin", OutputStream.nullOutputStream())).isTrue();
      long idle = count(openFiles);
      for (int i = 0; i < sessions; i++) {
        OutputStream upload = loggedIn(control, clients).storeFileStream("up" + i + ".bin");
        upload.write(new byte[256 * 1024]);
        upload.flush();
        transfers.add(upload);
      }
      // every upload's bytes are in its file: its descriptors are all open
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> allHold(root.resolve("data/alice"), sessions, 256 * 1024));
      long uploading = count(openFiles);
      for (int i = 0; i < sessions; i++) {
        FTPClient client = loggedIn(control, clients);
        client.setReceiveBufferSize(4096);
        // never read: the server waits for room
        transfers.add(client.retrieveFileStream("big.bin"));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(openFiles) >= uploading + 3L * sessions);
      Thread.sleep(500); // a blocked send opens its selector
      long downloading = count(openFiles);

      assertThat((uploading - idle) / (double) sessions)
          .as("open files per session in a binary upload")
          // at least the control and data connections and the file: the uploads are running
          .isBetween(3.0, (double) OpenFileBudget.PER_SESSION);
      assertThat((downloading - uploading) / (double) sessions)
          .as("open files per session in a download")
          .isBetween(3.0, (double) OpenFileBudget.PER_SESSION);
    } finally {
      for (java.io.Closeable transfer : transfers) {
        transfer.close();
      }
      for (FTPClient client : clients) {
        client.disconnect();
      }
    }
  }

  private static boolean allHold(Path home, int uploads, long bytes) throws IOException {
    for (int i = 0; i < uploads; i++) {
      Path upload = home.resolve("up" + i + ".bin");
      if (!Files.exists(upload) || Files.size(upload) < bytes) {
        return false;
      }
    }
    return true;
  }

  private static FTPClient loggedIn(int control, List<FTPClient> clients) throws IOException {
    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    client.connect(FtpTestServer.HOST, control);
    clients.add(client);
    assertThat(client.login("alice", "secret")).isTrue();
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.enterLocalPassiveMode();
    return client;
  }

  private static long count(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.count();
    }
  }
}

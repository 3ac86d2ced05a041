package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.config.PassivePortRange;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
    HttpClient http = HttpClient.newHttpClient();
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
                return http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 200;
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
    Map<String, String> env = FtpTestServer.environment(root, ports);
    env.put("FTP_CONTROL_PORT", Integer.toString(control));
    env.put("FTP_HTTP_PORT", Integer.toString(http));
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
    HttpResponse<String> readiness =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
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
    Map<String, String> env = FtpTestServer.environment(root, FreePorts.range(2));
    env.put("FTP_CONTROL_PORT", Integer.toString(control));
    env.put("FTP_HTTP_PORT", Integer.toString(http));
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
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            FtpServerMain.class.getName());
    builder.environment().put("FTP_PASSIVE_PORTS", "30010-30000");
    builder.redirectErrorStream(true);
    File log = root.resolve("server.log").toFile();
    builder.redirectOutput(log);
    Process failed = builder.start();
    process = failed;
    assertThat(failed.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(failed.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log.toPath()))
        .contains("invalid configuration")
        .contains("passive port range");
  }
}

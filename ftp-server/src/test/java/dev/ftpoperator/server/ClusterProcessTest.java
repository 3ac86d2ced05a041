package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.config.PassivePortRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas as real processes (FtpServerMain), configured the way the operator does. */
class ClusterProcessTest {

  private final List<Process> processes = new ArrayList<>();

  /** Before JUnit deletes the test's directory: the processes write their logs there. */
  @AfterEach
  void stop() throws InterruptedException {
    processes.forEach(Process::destroyForcibly);
    for (Process process : processes) {
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  static Map<String, String> replica(
      Path root, int ordinal, PassivePortRange ports, int relayPort, int control, int http) {
    Map<String, String> env = FtpTestServer.environment(root, ports);
    env.put("FTP_BIND_ADDRESS", "127.0.0." + (2 + ordinal));
    env.put("FTP_CONTROL_PORT", Integer.toString(control));
    env.put("FTP_HTTP_PORT", Integer.toString(http));
    env.put("FTP_CLUSTER_REPLICAS", "2");
    env.put("FTP_POD_NAME", "partners-" + ordinal);
    env.put("FTP_CLUSTER_PEERS", "0=127.0.0.2,1=127.0.0.3");
    env.put("FTP_CLUSTER_RELAY_PORT", Integer.toString(relayPort));
    env.put("FTP_CLUSTER_SECRET_FILE", root.resolve("secret").toString());
    return env;
  }

  static String metrics(int http) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aDataConnectionSentToTheOtherProcessIsRelayedToTheOwnerByteForByte(@TempDir Path root)
      throws Exception {
    Files.createDirectories(root.resolve("users"));
    Files.writeString(root.resolve("users/alice"), "secret\n");
    // base64 text, as the operator's Secret holds it
    Files.writeString(
        root.resolve("secret"), "c2VjcmV0LWJ5dGVzLWZvci10aGUtY2x1c3Rlci1vZi10d28tcmVwbGljYXM=");
    PassivePortRange ports = FreePorts.range(4);
    int relayPort = FreePorts.range(1).min();
    int[] control = {ServerProcessTest.freePort(), ServerProcessTest.freePort()};
    int[] http = {ServerProcessTest.freePort(), ServerProcessTest.freePort()};
    for (int k = 0; k < 2; k++) {
      Path podRoot = Files.createDirectories(root.resolve("pod" + k));
      processes.add(
          ServerProcessTest.launch(
              podRoot, replica(root, k, ports, relayPort, control[k], http[k]), http[k]));
    }

    byte[] content = new byte[5 * 1024 * 1024];
    new Random(3).nextBytes(content);
    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    client.connect("127.0.0.2", control[0]);
    assertThat(client.login("alice", "secret")).isTrue();
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.enterLocalPassiveMode();
    // every data connection goes to pod 1, which owns none of pod 0's ports
    client.setIpAddressFromPasvResponse(true);
    client.setRemoteVerificationEnabled(false);
    client.setPassiveNatWorkaroundStrategy(advertised -> "127.0.0.3");
    assertThat(client.storeFile("through-the-relay.bin", new ByteArrayInputStream(content)))
        .isTrue();
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("through-the-relay.bin", back)).isTrue();
    assertThat(back.toByteArray()).isEqualTo(content);
    client.logout();
    client.disconnect();

    assertThat(metrics(http[1])).contains("ftp_relayed_connections_total{direction=\"out\"} 2");
    assertThat(metrics(http[0])).contains("ftp_relayed_connections_total{direction=\"in\"} 2");
    assertThat(Files.readString(root.resolve("pod0/server.log")))
        .contains("replica 0 of 2: offers passive ports " + ports.min() + "-" + (ports.min() + 1));
  }

  @Test
  void aReplicaWithAShortSecretStopsWithAClearMessage(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("secret"), "short");
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            FtpServerMain.class.getName());
    builder
        .environment()
        .putAll(replica(root, 0, FreePorts.range(4), FreePorts.range(1).min(), 0, 0));
    builder.redirectErrorStream(true);
    File log = root.resolve("server.log").toFile();
    builder.redirectOutput(log);
    Process failed = builder.start();
    processes.add(failed);
    assertThat(failed.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(failed.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log.toPath()))
        .contains("invalid configuration")
        .contains("FTP_CLUSTER_SECRET_FILE")
        .contains("at least 32");
  }
}

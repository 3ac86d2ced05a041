package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

class ListenBacklogTest {

  /** ss(8) shows a listening socket's backlog in its Send-Q column. */
  private static int listenBacklog(int port) throws IOException, InterruptedException {
    Process ss =
        new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("ss output for port %d", port).startsWith("LISTEN");
    return Integer.parseInt(out.split("\\s+")[2]);
  }

  @Test
  void theControlPortQueuesAsManyConnectionsAsMayLogIn() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")),
        "ss (iproute2) is needed to read the listen backlog");
    // readAllLines, not readString: procfs reports a size that makes readString stop early
    int somaxconn =
        Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
    int maxSessions = Math.min(400, somaxconn);
    try (FtpTestServer server =
        FtpTestServer.start(Map.of("FTP_MAX_SESSIONS", String.valueOf(maxSessions)))) {
      assertThat(listenBacklog(server.port())).isEqualTo(maxSessions);
      FTPClient client = server.alice();
      assertThat(client.printWorkingDirectory()).isEqualTo("/");
      client.disconnect();
    }
  }
}

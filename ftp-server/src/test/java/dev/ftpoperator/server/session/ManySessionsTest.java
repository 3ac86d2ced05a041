package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.config.PassivePortRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/** MINA's default of 10 logins would refuse most of these. */
class ManySessionsTest {

  /**
   * For a failure's message: what the server counts of its passive ports, and the kernel's TCP
   * sockets on them, to tell a leaked reservation from a port that some other socket holds.
   */
  private static String passivePortsNow(FtpTestServer server) {
    String counts =
        server
            .service()
            .metrics()
            .prometheusText()
            .lines()
            .filter(line -> line.startsWith("ftp_passive_ports"))
            .collect(Collectors.joining(", "));
    PassivePortRange range = server.passivePorts();
    List<Integer> listening = new ArrayList<>();
    Map<String, Integer> othersByState = new TreeMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length > 3 && fields[1].contains(":")) {
            int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
            if (port >= range.min() && port <= range.max()) {
              if (fields[3].equals(LISTEN)) {
                listening.add(port);
              } else {
                othersByState.merge(fields[3], 1, Integer::sum);
              }
            }
          }
        }
      } catch (IOException | NumberFormatException e) {
        othersByState.put(table + ": " + e.getMessage(), 0);
      }
    }
    return counts
        + "; listening on the passive ports: "
        + listening
        + "; their other sockets by TCP state: "
        + othersByState;
  }

  /** The TCP state number of a listening socket in /proc/net/tcp. */
  private static final String LISTEN = "0A";

  @Test
  void threeHundredSessionsStayLoggedInWhileTransfersRun() throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(Map.of("FTP_MAX_SESSIONS_PER_IP", "400"), 20, root -> {})) {
      List<FTPClient> idle = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        idle.add(server.alice());
      }
      assertThat(server.service().metrics().prometheusText()).contains("ftp_sessions_open 300");

      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<Boolean>> transfers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        int client = i;
        transfers.add(
            pool.submit(
                () -> {
                  FTPClient active = server.alice();
                  for (int n = 0; n < 10; n++) {
                    if (!active.storeFile("s" + client, new ByteArrayInputStream(new byte[10_000]))
                        || !active.retrieveFile("s" + client, new ByteArrayOutputStream())) {
                      throw new AssertionError(
                          "transfer "
                              + n
                              + " of client "
                              + client
                              + ": "
                              + active.getReplyString().trim()
                              + "; "
                              + passivePortsNow(server));
                    }
                  }
                  active.disconnect();
                  return true;
                }));
      }
      for (Future<Boolean> transfer : transfers) {
        assertThat(transfer.get(60, TimeUnit.SECONDS)).isTrue();
      }
      pool.shutdown();
      for (FTPClient client : idle) {
        assertThat(client.sendNoOp()).isTrue();
        client.disconnect();
      }
    }
  }
}

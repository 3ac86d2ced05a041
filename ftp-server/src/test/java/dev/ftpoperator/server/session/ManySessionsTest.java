package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/** MINA's default of 10 logins would refuse most of these. */
class ManySessionsTest {

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
                              + active.getReplyString());
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

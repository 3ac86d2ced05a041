package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.FtpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/**
 * A lone server listens on its passive ports for its whole life; a port goes back to the pool after
 * every transfer, and an exhausted pool answers 425 and recovers.
 */
class PassivePortLifecycleTest {

  @Test
  void manyMoreTransfersThanPortsSucceedAndLeaveNoPortInUse() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of(), 2, root -> {})) {
      FTPClient client = server.alice();
      byte[] content = "payload".getBytes();
      for (int i = 0; i < 60; i++) {
        assertThat(client.storeFile("f" + (i % 5), new ByteArrayInputStream(content)))
            .as("upload %d", i)
            .isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(client.retrieveFile("f" + (i % 5), out)).as("download %d", i).isTrue();
        assertThat(client.listNames()).as("listing %d", i).isNotEmpty();
      }
      // MINA sends 226 before its finally block closes the data connection: allow that moment
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(20))
          .untilAsserted(
              () ->
                  assertThat(server.service().metrics().prometheusText())
                      .contains("ftp_passive_ports_in_use 0"));
      client.disconnect();
    }
  }

  @Test
  void anExhaustedPoolAnswers425CountedInMetricsAndRecoversWhenUnusedPortsTimeOut()
      throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(Map.of("FTP_DATA_TIMEOUT_SECONDS", "1"), 2, root -> {})) {
      FTPClient first = server.alice();
      FTPClient second = server.alice();
      FTPClient third = server.alice();
      assertThat(first.pasv()).isEqualTo(227);
      assertThat(second.epsv()).isEqualTo(229);
      assertThat(third.pasv()).isEqualTo(425);
      assertThat(third.epsv()).isEqualTo(425);
      assertThat(server.service().metrics().prometheusText())
          .contains("ftp_passive_ports_exhausted_total 2");
      // the two reservations nobody connected to are released by the data timeout
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(third.pasv()).isEqualTo(227));
      first.disconnect();
      second.disconnect();
      third.disconnect();
    }
  }

  @Test
  void closingASessionReleasesItsPassivePort() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of(), 1, root -> {})) {
      FTPClient holder = server.alice();
      assertThat(holder.pasv()).isEqualTo(227);
      holder.disconnect();
      FTPClient next = server.alice();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(next.pasv()).isEqualTo(227));
      next.disconnect();
    }
  }

  @Test
  void theWholeRangeStaysBoundBetweenTransfersAndIsFreedWhenTheServerStops() throws Exception {
    FtpTestServer server = FtpTestServer.start(Map.of(), 3, root -> {});
    try (server) {
      FTPClient client = server.alice();
      assertThat(client.listNames()).isNotNull();
      client.disconnect();
      // no session holds a port now, and still no other socket can take one: a PASV never has to
      // ask the kernel for a port again
      for (int port = server.passivePorts().min(); port <= server.passivePorts().max(); port++) {
        int taken = port;
        assertThatThrownBy(() -> bind(taken).close()).isInstanceOf(BindException.class);
      }
    }
    for (int port = server.passivePorts().min(); port <= server.passivePorts().max(); port++) {
      bind(port).close();
    }
  }

  @Test
  void aConnectionToAPortNoSessionReservedIsClosedAtOnceAndCounted() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of(), 2, root -> {});
        Socket stray = new Socket()) {
      stray.connect(new InetSocketAddress(FtpTestServer.HOST, server.passivePorts().min()), 1000);
      stray.setSoTimeout(5000);
      try (InputStream in = stray.getInputStream()) {
        assertThat(in.read()).isEqualTo(-1);
      }
      assertThat(server.service().metrics().prometheusText())
          .contains("ftp_data_connections_rejected_total 1");
    }
  }

  private static ServerSocketChannel bind(int port) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    try {
      channel.bind(new InetSocketAddress(FtpTestServer.HOST, port));
      return channel;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }
}

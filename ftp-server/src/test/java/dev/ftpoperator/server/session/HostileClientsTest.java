package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.RawControl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to wear the server down: a command flood, a client that never reads, many slow
 * connections, a data connection that never sends. Each is cut off or held back by its limit while
 * a real client (commons-net, from another loopback address where it matters) keeps being served.
 */
class HostileClientsTest {

  private static void roundTrip(FtpTestServer server) throws Exception {
    FTPClient real = server.alice();
    byte[] content = "served throughout".getBytes(StandardCharsets.UTF_8);
    assertThat(real.storeFile("real.txt", new ByteArrayInputStream(content))).isTrue();
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    assertThat(real.retrieveFile("real.txt", back)).isTrue();
    assertThat(back.toByteArray()).isEqualTo(content);
    real.disconnect();
  }

  @Test
  void aCommandFloodIsHeldToTheRateWhileAnotherClientIsServed() throws Exception {
    try (FtpTestServer server =
            FtpTestServer.start(Map.of("FTP_COMMAND_RATE", "20", "FTP_COMMAND_BURST", "10"));
        RawControl flood = RawControl.alice(server)) {
      // far more than the rate lets through while the test runs, so nothing depends on how long
      // the other client's round trip takes on a busy machine
      int commands = 1000;
      AtomicInteger answered = new AtomicInteger();
      long start = System.nanoTime();
      flood.send("NOOP\r\n".repeat(commands));
      CompletableFuture<Void> replies =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (String reply = flood.reply(); !reply.isEmpty(); reply = flood.reply()) {
                    assertThat(reply).startsWith("200");
                    answered.incrementAndGet();
                  }
                } catch (IOException closedAtTheEnd) {
                  // the test hangs up before the flood is through
                }
              });
      roundTrip(server);
      Duration servedAfter = Duration.ofNanos(System.nanoTime() - start);
      // the login waited for its replies and is free, and so may be the flood's first NOOP (it came
      // after the login's last reply); ten more take the burst, then 20 per second
      long allowed = 11 + 20 * (servedAfter.toMillis() / 1000 + 1);
      assertThat(answered.get())
          .as("NOOPs answered in the %d ms the other client took", servedAfter.toMillis())
          .isLessThan(commands)
          .isLessThanOrEqualTo((int) allowed);
      await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 40);
      // 40 NOOPs: 11 at once, then 20 per second: at least 1.45 s
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThan(Duration.ofMillis(1400));
      flood.close();
      replies.get();
    }
  }

  @Test
  void aClientThatWaitsForEachReplyIsNotHeldToTheRate() throws Exception {
    try (FtpTestServer server =
            FtpTestServer.start(Map.of("FTP_COMMAND_RATE", "10", "FTP_COMMAND_BURST", "5"));
        RawControl sequential = RawControl.alice(server)) {
      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        assertThat(sequential.command("NOOP")).startsWith("200");
      }
      // held to the rate, the 95 NOOPs after the burst would take 9.5 s
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      // the same session pipelining is held to it again
      long pipelined = System.nanoTime();
      sequential.send("NOOP\r\n".repeat(20));
      for (int i = 0; i < 20; i++) {
        assertThat(sequential.reply()).startsWith("200");
      }
      // at most the first is free and the burst refilled for 5 more: 14 at 10 per second
      assertThat(Duration.ofNanos(System.nanoTime() - pipelined))
          .isGreaterThan(Duration.ofMillis(1000));
    }
  }

  @Test
  void aLineWithoutEndIsCutOffAtTheConfiguredLength() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_MAX_COMMAND_LINE_BYTES", "600"))) {
      try (RawControl fits = RawControl.alice(server)) {
        assertThat(fits.command("NOOP " + "x".repeat(590))).startsWith("200");
      }
      try (RawControl endless = RawControl.alice(server)) {
        CompletableFuture<Void> streaming =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    byte[] megabyte = new byte[1 << 20];
                    java.util.Arrays.fill(megabyte, (byte) 'x');
                    endless.send("NOOP ");
                    for (int i = 0; i < 64; i++) {
                      endless.socket().getOutputStream().write(megabyte);
                    }
                  } catch (Exception closedByServer) {
                    // expected
                  }
                });
        assertThat(endless.reply()).startsWith("500");
        assertThat(endless.closedByServer()).isTrue();
        roundTrip(server);
        streaming.get();
      }
      try (RawControl tooLong = RawControl.alice(server)) {
        assertThat(tooLong.command("NOOP " + "x".repeat(800))).startsWith("500");
        assertThat(tooLong.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void aClientThatNeverReadsItsRepliesIsClosedAtTheQueueLimit() throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(
            Map.of(
                "FTP_MAX_QUEUED_BYTES", "8192",
                "FTP_COMMAND_RATE", "1000000",
                "FTP_COMMAND_BURST", "1000000"))) {
      Socket deaf = new Socket();
      deaf.setReceiveBufferSize(4096);
      deaf.connect(new InetSocketAddress(FtpTestServer.HOST, server.port()));
      OutputStream out = deaf.getOutputStream();
      out.write("USER alice\r\nPASS secret\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] help = "HELP\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 100_000; i++) {
                    out.write(help);
                  }
                } catch (Exception closedByServer) {
                  // expected: the server hung up
                }
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> server.service().metrics().prometheusText().contains("ftp_sessions_open 0"));
      roundTrip(server);
      deaf.close();
      writer.get();
    }
  }

  @Test
  void connectionsFromOneAddressAreCappedWhileOthersAreServed() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_MAX_SESSIONS_PER_IP", "30"))) {
      List<RawControl> held = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        held.add(RawControl.open(server, "127.0.0.3"));
      }
      try (RawControl oneTooMany = RawControl.open(server, "127.0.0.3")) {
        throw new AssertionError("a 31st connection from one address was greeted");
      } catch (java.io.IOException refused) {
        assertThat(refused).hasMessageContaining("421");
      }
      roundTrip(server);
      for (RawControl control : held) {
        control.close();
      }
    }
  }

  @Test
  void slowConnectionsAreClosedAtTheLoginTimeout() throws Exception {
    try (FtpTestServer server = FtpTestServer.start(Map.of("FTP_LOGIN_TIMEOUT_SECONDS", "2"))) {
      List<RawControl> slow = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        slow.add(RawControl.open(server, "127.0.0.3"));
      }
      // one byte at a time, never a whole line: the login timeout still applies
      for (int second = 0; second < 3; second++) {
        for (RawControl control : slow) {
          try {
            control.send("N");
          } catch (java.io.IOException closed) {
            // already closed by the server
          }
        }
        Thread.sleep(1000);
      }
      roundTrip(server);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.service().metrics().prometheusText().contains("ftp_sessions_open 0"));
      for (RawControl control : slow) {
        control.readTimeout(1000);
        assertThat(control.closedByServer()).isTrue();
        control.close();
      }
    }
  }

  @Test
  void aSilentUploadThatTheWatchdogAbortsIsReportedAsFailedNotComplete() throws Exception {
    try (FtpTestServer server =
            FtpTestServer.start(Map.of("FTP_TRANSFER_STALL_TIMEOUT_SECONDS", "1"));
        RawControl control = RawControl.alice(server)) {
      String epsv = control.command("EPSV");
      int port = Integer.parseInt(epsv.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
      try (Socket data = new Socket(FtpTestServer.HOST, port)) {
        assertThat(control.command("STOR silent.bin")).startsWith("150");
        // the client sends nothing, notices the server's hang-up and closes (as Python's ftplib)
        data.setSoTimeout(10_000);
        assertThat(data.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(control.reply()).matches("[45]\\d\\d .*");
      assertThat(control.command("NOOP")).startsWith("200");
    }
  }

  @Test
  void anUploadWhoseDataConnectionNeverSendsIsAbortedAfterTheStallTimeout() throws Exception {
    try (FtpTestServer server =
        FtpTestServer.start(Map.of("FTP_TRANSFER_STALL_TIMEOUT_SECONDS", "1"))) {
      FTPClient client = server.alice();
      OutputStream upload = client.storeFileStream("silent.bin");
      assertThat(upload).isNotNull();
      // connected, and then nothing: the watchdog must abort it
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(server.service().metrics().prometheusText())
                      .contains("ftp_transfers_total{result=\"failed\"} 1")
                      .contains("ftp_transfers_active 0"));
      upload.close();
      assertThat(client.completePendingCommand()).isFalse();
      assertThat(client.sendNoOp()).isTrue();
      client.disconnect();
    }
  }
}

package dev.ftpoperator.operator.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.operator.selftest.ProbeResult.Failure;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The probe against the project's own FTP server on loopback: a healthy server passes, and each
 * failure is produced by the real fault a user meets, named with what was seen.
 */
class FtpProbeTest {

  private static final String PASSWORD = "probe-pass-0123456789";
  private static final String USER = ".ftp-operator-probe";
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final FtpProbe probe = new FtpProbe(Clock.systemUTC());

  private static ProbeTarget target(
      String host, int port, ProbeTarget.Tls tls, int min, int max, String password) {
    return new ProbeTarget(host, port, tls, min, max, USER, password, Optional.empty(), TIMEOUT);
  }

  private static ProbeTarget target(LoopbackFtpServer server) {
    return target(
        LoopbackFtpServer.HOST,
        server.port(),
        ProbeTarget.Tls.NONE,
        server.passiveMin(),
        server.passiveMax(),
        PASSWORD);
  }

  @Test
  void aHealthyServerIsVerifiedThroughEpsvAndPasv() throws Exception {
    try (LoopbackFtpServer server = LoopbackFtpServer.start(PASSWORD, Map.of())) {
      ProbeResult result = probe.run(target(server));
      assertThat(result.ok()).as(result.message()).isTrue();
      assertThat(result.message()).contains("EPSV and PASV").contains("PASV named 127.0.0.1");
      assertThat(result.roundTripMillis()).isBetween(0L, TIMEOUT.toMillis());
    }
  }

  @Test
  void aPasvReplyNamingAnotherAddressIsReportedWithTheAddress() throws Exception {
    try (LoopbackFtpServer server =
        LoopbackFtpServer.start(PASSWORD, Map.of("FTP_PUBLIC_ADDRESS", "127.0.0.2"))) {
      ProbeResult result = probe.run(target(server));
      assertThat(result.failure()).contains(Failure.PASSIVE_ADDRESS);
      assertThat(result.message()).startsWith("PASV named 127.0.0.2").contains("127.0.0.1");
    }
  }

  @Test
  void aWrongProbePasswordIsALoginFailure() throws Exception {
    try (LoopbackFtpServer server = LoopbackFtpServer.start(PASSWORD, Map.of())) {
      server.probePassword("rotated-elsewhere");
      ProbeResult result = probe.run(target(server));
      assertThat(result.failure()).contains(Failure.LOGIN);
      assertThat(result.message()).contains("530").doesNotContain(PASSWORD);
    }
  }

  @Test
  void aPortNamedOutsideTheDeclaredRangeIsReported() throws Exception {
    try (LoopbackFtpServer server = LoopbackFtpServer.start(PASSWORD, Map.of())) {
      ProbeResult result =
          probe.run(
              target(
                  LoopbackFtpServer.HOST,
                  server.port(),
                  ProbeTarget.Tls.NONE,
                  server.passiveMax() + 1,
                  server.passiveMax() + 5,
                  PASSWORD));
      assertThat(result.failure()).contains(Failure.PASSIVE_PORT);
      assertThat(result.message()).contains("outside the declared passive range");
    }
  }

  @Test
  void aLoadBalancerThatForwardsOnlyTheControlPortLeavesTheDataPortUnreachable() throws Exception {
    // the server listens on 127.0.0.2 (its pod), the "load balancer" 127.0.0.1 forwards only the
    // control port: the passive ports advertised on 127.0.0.1 refuse
    try (LoopbackFtpServer server =
            LoopbackFtpServer.start(PASSWORD, Map.of("FTP_BIND_ADDRESS", "127.0.0.2"));
        TcpForwarder lb =
            new TcpForwarder(
                LoopbackFtpServer.HOST, new InetSocketAddress("127.0.0.2", server.port()))) {
      ProbeResult result =
          probe.run(
              target(
                  LoopbackFtpServer.HOST,
                  lb.port(),
                  ProbeTarget.Tls.NONE,
                  server.passiveMin(),
                  server.passiveMax(),
                  PASSWORD));
      assertThat(result.failure()).as(result.message()).contains(Failure.DATA_PORT);
      assertThat(result.message()).startsWith("data port ").contains("(EPSV)").contains("refused");
    }
  }

  @Test
  void aClosedControlPortIsAConnectFailureUnlessTheClusterIpAnswers() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (LoopbackFtpServer server = LoopbackFtpServer.start(PASSWORD, Map.of())) {
      ProbeTarget down =
          target(LoopbackFtpServer.HOST, closed, ProbeTarget.Tls.NONE, 1, 65535, PASSWORD);
      ProbeResult refused = probe.run(down);
      assertThat(refused.failure()).contains(Failure.CONNECT);
      assertThat(refused.message()).contains("127.0.0.1:" + closed).contains("refused");

      ProbeTarget noHairpin =
          new ProbeTarget(
              LoopbackFtpServer.HOST,
              closed,
              ProbeTarget.Tls.NONE,
              1,
              65535,
              USER,
              PASSWORD,
              Optional.of(new ProbeTarget.HostPort(LoopbackFtpServer.HOST, server.port())),
              TIMEOUT);
      ProbeResult hairpin = probe.run(noHairpin);
      assertThat(hairpin.failure()).contains(Failure.UNREACHABLE_FROM_CLUSTER);
      assertThat(hairpin.message()).contains("hairpin");
    }
  }

  @Test
  void aListenerThatNeverGreetsIsABannerFailure() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread accept =
          new Thread(
              () -> {
                try (Socket s = silent.accept()) {
                  Thread.sleep(TIMEOUT.toMillis() + 2000);
                } catch (Exception e) {
                  // test over
                }
              });
      accept.setDaemon(true);
      accept.start();
      ProbeResult result =
          probe.run(
              target(
                  LoopbackFtpServer.HOST,
                  silent.getLocalPort(),
                  ProbeTarget.Tls.NONE,
                  1,
                  65535,
                  PASSWORD));
      assertThat(result.failure()).contains(Failure.BANNER);
      assertThat(result.message()).contains("no FTP greeting").containsIgnoringCase("timed out");
    }
  }

  @Test
  void aRefusingGreetingIsABannerFailureWithTheReply() throws Exception {
    try (ServerSocket busy = new ServerSocket(0)) {
      Thread accept =
          new Thread(
              () -> {
                try (Socket s = busy.accept();
                    OutputStream out = s.getOutputStream()) {
                  out.write("520 Not today\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  Thread.sleep(1000);
                } catch (Exception e) {
                  // test over
                }
              });
      accept.setDaemon(true);
      accept.start();
      ProbeResult result =
          probe.run(
              target(
                  LoopbackFtpServer.HOST,
                  busy.getLocalPort(),
                  ProbeTarget.Tls.NONE,
                  1,
                  65535,
                  PASSWORD));
      assertThat(result.failure()).contains(Failure.BANNER);
      assertThat(result.message()).contains("520 Not today");
    }
  }

  private static LoopbackFtpServer tlsServer(Instant notBefore, Instant notAfter, String ip)
      throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("self-test-tls");
    Map<String, String> env = new HashMap<>(TestCertificates.write(dir, notBefore, notAfter, ip));
    env.put("FTP_TLS_MODE", "required");
    env.put("FTP_TLS_SESSION_REUSE_REQUIRED", "true");
    return LoopbackFtpServer.start(PASSWORD, env);
  }

  private static ProbeTarget tlsTarget(LoopbackFtpServer server) {
    return target(
        LoopbackFtpServer.HOST,
        server.port(),
        ProbeTarget.Tls.REQUIRED,
        server.passiveMin(),
        server.passiveMax(),
        PASSWORD);
  }

  @Test
  void overRequiredTlsAValidCertificateFromAnUnknownIssuerPassesWithANote() throws Exception {
    Instant now = Instant.now();
    try (LoopbackFtpServer server =
        tlsServer(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), "127.0.0.1")) {
      ProbeResult result = probe.run(tlsTarget(server));
      assertThat(result.ok()).as(result.message()).isTrue();
      assertThat(result.message()).contains("over TLS");
      assertThat(result.notes()).anyMatch(n -> n.contains("not in the operator's trust store"));
    }
  }

  @Test
  void anExpiredCertificateIsATlsFailureWithItsEndDate() throws Exception {
    Instant now = Instant.now();
    try (LoopbackFtpServer server =
        tlsServer(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "127.0.0.1")) {
      ProbeResult result = probe.run(tlsTarget(server));
      assertThat(result.failure()).contains(Failure.TLS);
      assertThat(result.message()).contains("expired on");
    }
  }

  @Test
  void aCertificateForAnotherAddressIsATlsFailureNamingBoth() throws Exception {
    Instant now = Instant.now();
    try (LoopbackFtpServer server =
        tlsServer(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), "192.0.2.1")) {
      ProbeResult result = probe.run(tlsTarget(server));
      assertThat(result.failure()).contains(Failure.TLS);
      assertThat(result.message()).contains("192.0.2.1").contains("127.0.0.1");
    }
  }
}

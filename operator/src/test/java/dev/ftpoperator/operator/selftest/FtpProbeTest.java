package dev.ftpoperator.operator.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.operator.selftest.ProbeResult.Failure;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against the project's own FTP server on loopback: a healthy server passes, and each
 * failure is produced by the real fault a user meets, named with what was seen.
 */
class FtpProbeTest {

  private static final String PASSWORD = "probe-pass-0123456789";
  private static final String USER = ".ftp-operator-probe";
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final FtpProbe probe = new FtpProbe(Clock.systemUTC());

  /** The TLS tests' certificate and key. */
  @TempDir java.nio.file.Path certs;

  private static ProbeTarget target(
      String host, int port, ProbeTarget.Tls tls, int min, int max, String password) {
    return new ProbeTarget(
        host, port, tls, min, max, USER, password, Optional.empty(), TIMEOUT, List.of());
  }

  /** The endpoint {@code host:port}, with the Service's ClusterIP at {@code server}. */
  private static ProbeTarget withClusterIp(
      String host, int port, int min, int max, LoopbackFtpServer server, List<String> ranges) {
    return new ProbeTarget(
        host,
        port,
        ProbeTarget.Tls.NONE,
        min,
        max,
        USER,
        PASSWORD,
        Optional.of(new ProbeTarget.HostPort(LoopbackFtpServer.HOST, server.port())),
        TIMEOUT,
        ranges);
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
  void aDocumentationAddressIsNeverDialledAndThePasvReplyNamingItIsWrong() throws Exception {
    // a spec.passiveAddress copied from an example: the endpoint and PASV name 192.0.2.10; the
    // probe asks the server at its "ClusterIP" (loopback) instead, and dials nothing else
    try (LoopbackFtpServer server =
        LoopbackFtpServer.start(PASSWORD, Map.of("FTP_PUBLIC_ADDRESS", "192.0.2.10"))) {
      ProbeResult result =
          probe.run(
              withClusterIp(
                  "192.0.2.10", 21, server.passiveMin(), server.passiveMax(), server, List.of()));
      assertThat(result.failure()).as(result.message()).contains(Failure.PASSIVE_ADDRESS);
      assertThat(result.message())
          .startsWith("PASV named 192.0.2.10, a documentation address (RFC 5737)");
      assertThat(result.roundTripMillis())
          .as("no connect to 192.0.2.10 waited for its timeout")
          .isLessThan(TIMEOUT.toMillis());
    }
  }

  @Test
  void aDocumentationAddressWithoutAClusterIpToAskIsNotDialled() {
    ProbeResult result =
        probe.run(target("203.0.113.7", 21, ProbeTarget.Tls.NONE, 30000, 30009, PASSWORD));
    assertThat(result.failure()).contains(Failure.CONNECT);
    assertThat(result.message()).contains("documentation address (RFC 5737)");
    assertThat(result.roundTripMillis()).isLessThan(TIMEOUT.toMillis());
  }

  @Test
  void documentationRangesAreThoseOfRfc5737AndRfc3849() throws Exception {
    for (String doc : List.of("192.0.2.1", "198.51.100.200", "203.0.113.7", "2001:db8::1")) {
      assertThat(FtpProbe.documentationRange(InetAddress.getByName(doc))).as(doc).isPresent();
    }
    for (String real : List.of("192.0.3.1", "10.99.2.5", "203.0.114.7", "2001:db9::1")) {
      assertThat(FtpProbe.documentationRange(InetAddress.getByName(real))).as(real).isEmpty();
    }
  }

  @Test
  void sourceRangesMatchByPrefix() throws Exception {
    InetAddress pod = InetAddress.getByName("10.244.0.12");
    assertThat(FtpProbe.inRange(pod, "10.244.0.0/16")).isTrue();
    assertThat(FtpProbe.inRange(pod, "10.244.0.12/32")).isTrue();
    assertThat(FtpProbe.inRange(pod, "10.244.0.13/32")).isFalse();
    assertThat(FtpProbe.inRange(pod, "10.98.0.2/30")).isFalse();
    assertThat(FtpProbe.inRange(pod, "0.0.0.0/0")).isTrue();
    assertThat(FtpProbe.inRange(pod, "2001:db8::/32")).isFalse();
    assertThat(FtpProbe.inRange(InetAddress.getByName("2001:db8::5"), "2001:db8::/32")).isTrue();
  }

  @Test
  void aReplicaThatKnowsItsNameIsNamedInTheResult() throws Exception {
    try (LoopbackFtpServer server =
        LoopbackFtpServer.start(PASSWORD, Map.of("FTP_POD_NAME", "shared-1"))) {
      ProbeResult result = probe.run(target(server));
      assertThat(result.ok()).as(result.message()).isTrue();
      assertThat(result.pod()).contains("shared-1");
    }
    try (LoopbackFtpServer unnamed = LoopbackFtpServer.start(PASSWORD, Map.of())) {
      assertThat(probe.run(target(unnamed)).pod()).isEmpty();
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

      ProbeResult hairpin =
          probe.run(withClusterIp(LoopbackFtpServer.HOST, closed, 1, 65535, server, List.of()));
      assertThat(hairpin.failure()).contains(Failure.UNREACHABLE_FROM_CLUSTER);
      assertThat(hairpin.message()).contains("hairpin");

      // source ranges that leave the operator's address (here 127.0.0.1) out are named as the cause
      ProbeResult ranges =
          probe.run(
              withClusterIp(
                  LoopbackFtpServer.HOST, closed, 1, 65535, server, List.of("10.98.0.2/32")));
      assertThat(ranges.failure()).contains(Failure.UNREACHABLE_FROM_CLUSTER);
      assertThat(ranges.message())
          .contains(
              "spec.service.loadBalancerSourceRanges [10.98.0.2/32] do not admit the operator's"
                  + " address 127.0.0.1")
          .doesNotContain("hairpin");
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

  private LoopbackFtpServer tlsServer(Instant notBefore, Instant notAfter, String ip)
      throws Exception {
    Map<String, String> env = new HashMap<>(TestCertificates.write(certs, notBefore, notAfter, ip));
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

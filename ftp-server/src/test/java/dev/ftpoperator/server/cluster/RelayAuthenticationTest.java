package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay port of pod 0 against connections that are not an honest peer's: forged, replayed,
 * silent, misdirected. Each is closed without reaching a session and counted by reason.
 */
class RelayAuthenticationTest {

  static final String CLIENT = "127.0.0.9";
  static final String ATTACKER = "127.0.0.66";
  static ClusterPods pods;

  @BeforeAll
  static void start() throws Exception {
    pods = ClusterPods.start(2, 3, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    pods.close();
  }

  /** What pod 1 would send, made with the real secret: stands for a captured header. */
  static ProxyV2Codec peer(int sender) {
    return new ProxyV2Codec(
        ClusterPods.SECRET.getBytes(StandardCharsets.US_ASCII),
        sender,
        2,
        Duration.ofSeconds(30),
        Clock.systemUTC());
  }

  static byte[] header(ProxyV2Codec codec, String client, int port) {
    ByteBuffer buffer =
        codec.encode(
            RelayHeader.Kind.DATA_CONNECTION,
            new InetSocketAddress(client, 40000),
            new InetSocketAddress(ClusterPods.address(0), port));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  static long refused(String reason) {
    Matcher m =
        Pattern.compile(
                "^ftp_relay_refused_total\\{reason=\"" + reason + "\"} (\\d+)$", Pattern.MULTILINE)
            .matcher(pods.metrics(0));
    assertThat(m.find()).as("metric for %s", reason).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** Sends {@code bytes} to pod 0's relay port from the attacker's address; true if closed. */
  static boolean sendAndSeeItClosed(byte[] bytes, int timeoutMillis) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(ATTACKER, 0));
      socket.connect(new InetSocketAddress(ClusterPods.address(0), pods.relayPort), 2000);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      try {
        return socket.getInputStream().read() == -1;
      } catch (java.net.SocketException reset) {
        // closed with bytes still unread on the server side: a reset, just as closed
        return true;
      }
    }
  }

  static void countedOnce(String reason, long before) {
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(refused(reason)).isEqualTo(before + 1));
  }

  @Test
  void aForgedHeaderForAWaitingSessionIsRefusedAndTheClientStillConnects() throws Exception {
    FTPClient client = ClusterPods.login(CLIENT, ClusterPods.address(0), pods.pod(0).controlPort());
    assertThat(client.storeFile("mine.txt", new ByteArrayInputStream("mine".getBytes()))).isTrue();
    assertThat(client.epsv()).isEqualTo(229);
    Matcher m = Pattern.compile("\\|\\|\\|(\\d+)\\|").matcher(client.getReplyString());
    assertThat(m.find()).isTrue();
    int port = Integer.parseInt(m.group(1));

    // everything right (client address, port) but the key
    ProxyV2Codec forger =
        new ProxyV2Codec(
            "a guessed secret, also forty-eight bytes long!!!".getBytes(),
            1,
            2,
            Duration.ofSeconds(30),
            Clock.systemUTC());
    long before = refused("bad_hmac");
    assertThat(sendAndSeeItClosed(header(forger, CLIENT, port), 3000)).isTrue();
    countedOnce("bad_hmac", before);

    assertThat(client.sendCommand("RETR", "mine.txt")).isEqualTo(150);
    try (Socket legit = new Socket()) {
      legit.bind(new InetSocketAddress(CLIENT, 0));
      legit.connect(new InetSocketAddress(ClusterPods.address(0), port), 2000);
      try (InputStream in = legit.getInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo("mine".getBytes());
      }
    }
    assertThat(client.getReply()).isEqualTo(226);
    client.disconnect();
  }

  @Test
  void aReplayedHeaderIsRefused() throws Exception {
    int port = pods.slices.slice(0).min();
    byte[] captured = header(peer(1), CLIENT, port);
    long replayedBefore = refused("replayed");
    // first delivery: authentic, but no session waits on the port, so the owner closes it
    assertThat(sendAndSeeItClosed(captured, 3000)).isTrue();
    assertThat(refused("replayed")).isEqualTo(replayedBefore);
    assertThat(sendAndSeeItClosed(captured, 3000)).isTrue();
    countedOnce("replayed", replayedBefore);
  }

  @Test
  void aPlainProxyHeaderAndOtherProtocolsAreRefused() throws Exception {
    long before = refused("bad_header");
    assertThat(sendAndSeeItClosed("GET / HTTP/1.0\r\n\r\n".getBytes(), 3000)).isTrue();
    countedOnce("bad_header", before);
    long unauthenticated = refused("bad_hmac");
    ByteBuffer plain = ByteBuffer.allocate(28);
    plain.put(ProxyV2Codec.SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
    plain.put(new byte[] {127, 0, 0, 9}).put(new byte[] {127, 0, 0, 2});
    plain.putShort((short) 40000).putShort((short) pods.slices.slice(0).min());
    assertThat(sendAndSeeItClosed(plain.array(), 3000)).isTrue();
    countedOnce("bad_hmac", unauthenticated);
  }

  @Test
  void aHeaderForAnotherPodsPortOrFromItselfIsRefused() throws Exception {
    long notOwner = refused("not_owner");
    assertThat(sendAndSeeItClosed(header(peer(1), CLIENT, pods.slices.slice(1).min()), 3000))
        .isTrue();
    countedOnce("not_owner", notOwner);
    long notPeer = refused("not_peer");
    assertThat(sendAndSeeItClosed(header(peer(0), CLIENT, pods.slices.slice(0).min()), 3000))
        .isTrue();
    countedOnce("not_peer", notPeer);
  }

  @Test
  void aConnectionThatNeverCompletesItsHeaderIsClosedAfterTheTimeout() throws Exception {
    long before = refused("timeout");
    long start = System.nanoTime();
    byte[] half = new byte[8];
    System.arraycopy(ProxyV2Codec.SIGNATURE, 0, half, 0, 8);
    assertThat(sendAndSeeItClosed(half, 15_000)).isTrue();
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertThat(waited).isBetween(ClusterNode.HEADER_TIMEOUT.toMillis() - 500, 12_000L);
    countedOnce("timeout", before);
  }
}

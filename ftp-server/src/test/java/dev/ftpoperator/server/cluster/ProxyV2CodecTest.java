package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.server.ManualClock;
import dev.ftpoperator.server.cluster.RelayRefusal.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ProxyV2CodecTest {

  static final byte[] SECRET = "0123456789abcdef0123456789abcdef-cluster".getBytes();
  final ManualClock clock = new ManualClock();

  /** Replica 1 of 3 sends, replica 0 receives. */
  final ProxyV2Codec sender = new ProxyV2Codec(SECRET, 1, 3, Duration.ofSeconds(30), clock);

  final ProxyV2Codec receiver = new ProxyV2Codec(SECRET, 0, 3, Duration.ofSeconds(30), clock);

  static InetSocketAddress at(String ip, int port) throws IOException {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  static ReadableByteChannel channel(byte[]... parts) {
    int total = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    ByteBuffer all = ByteBuffer.allocate(total);
    for (byte[] part : parts) {
      all.put(part);
    }
    return Channels.newChannel(new ByteArrayInputStream(all.array()));
  }

  RelayHeader decode(byte[] header) throws IOException {
    return receiver.read(channel(header));
  }

  static void refused(Reason reason, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(RelayRefusal.class, r -> assertThat(r.reason()).isEqualTo(reason));
  }

  @Test
  void anIpv4HeaderCarriesTheClientAndTheArrivalPortWithTheStandardFraming() throws Exception {
    byte[] header =
        bytes(
            sender.encode(
                RelayHeader.Kind.DATA_CONNECTION,
                at("198.51.100.7", 51234),
                at("10.1.2.3", 30004)));
    // signature, version 2 + PROXY, TCP over IPv4, then the length of the rest
    assertThat(Arrays.copyOf(header, 12)).isEqualTo(ProxyV2Codec.SIGNATURE);
    assertThat(header[12]).isEqualTo((byte) 0x21);
    assertThat(header[13]).isEqualTo((byte) 0x11);
    assertThat(((header[14] & 0xff) << 8) | (header[15] & 0xff)).isEqualTo(header.length - 16);
    assertThat(Arrays.copyOfRange(header, 16, 20)).containsExactly(198, 51, 100, 7);

    RelayHeader read = decode(header);
    assertThat(read.kind()).isEqualTo(RelayHeader.Kind.DATA_CONNECTION);
    assertThat(read.source()).isEqualTo(at("198.51.100.7", 51234));
    assertThat(read.destination()).isEqualTo(at("10.1.2.3", 30004));
    assertThat(read.sender()).isEqualTo(1);
  }

  @Test
  void ipv6AndMixedFamiliesTravelAsTcp6() throws Exception {
    byte[] v6 =
        bytes(
            sender.encode(
                RelayHeader.Kind.LOGIN_FAILURE, at("2001:db8::7", 4000), at("fd00::1", 0)));
    assertThat(v6[13]).isEqualTo((byte) 0x21);
    RelayHeader read = decode(v6);
    assertThat(read.kind()).isEqualTo(RelayHeader.Kind.LOGIN_FAILURE);
    assertThat(read.source()).isEqualTo(at("2001:db8::7", 4000));

    byte[] mixed =
        bytes(
            sender.encode(
                RelayHeader.Kind.DATA_CONNECTION, at("198.51.100.7", 1), at("fd00::1", 30000)));
    assertThat(mixed[13]).isEqualTo((byte) 0x21);
    // the IPv4 client comes back as an IPv4 address, so the same-client check compares equal
    assertThat(decode(mixed).source()).isEqualTo(at("198.51.100.7", 1));
  }

  @Test
  void theReaderStopsAtTheHeadersLastByte() throws Exception {
    byte[] header =
        bytes(
            sender.encode(
                RelayHeader.Kind.DATA_CONNECTION, at("127.0.0.9", 1), at("127.0.0.2", 2)));
    byte[] data = "client bytes".getBytes(StandardCharsets.US_ASCII);
    ReadableByteChannel in = channel(header, data);
    receiver.read(in);
    ByteBuffer rest = ByteBuffer.allocate(100);
    in.read(rest);
    assertThat(new String(rest.array(), 0, rest.position(), StandardCharsets.US_ASCII))
        .isEqualTo("client bytes");
  }

  @Test
  void aHeaderSignedWithAnotherSecretOrAlteredIsRefused() throws Exception {
    ProxyV2Codec forger =
        new ProxyV2Codec(
            "another secret of thirty-two bytes!!".getBytes(), 1, 3, Duration.ofSeconds(30), clock);
    byte[] forged =
        bytes(
            forger.encode(
                RelayHeader.Kind.DATA_CONNECTION, at("127.0.0.9", 1), at("127.0.0.2", 2)));
    refused(Reason.BAD_HMAC, () -> decode(forged));

    byte[] genuine =
        bytes(
            sender.encode(
                RelayHeader.Kind.DATA_CONNECTION, at("127.0.0.9", 1), at("127.0.0.2", 2)));
    byte[] otherClient = genuine.clone();
    otherClient[19] = 10; // 127.0.0.10: a hijacker rewriting the client address
    refused(Reason.BAD_HMAC, () -> decode(otherClient));
  }

  @Test
  void aPlainPeerHeaderWithoutAuthenticationIsRefused() throws Exception {
    // what haproxy or a load balancer would send: addresses, no TLV
    ByteBuffer plain = ByteBuffer.allocate(28);
    plain.put(ProxyV2Codec.SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
    plain.put(new byte[] {127, 0, 0, 9}).put(new byte[] {127, 0, 0, 2});
    plain.putShort((short) 1000).putShort((short) 30000);
    refused(Reason.BAD_HMAC, () -> decode(plain.array()));
  }

  @Test
  void aReplayedHeaderIsRefusedAndAStaleOneToo() throws Exception {
    byte[] header =
        bytes(
            sender.encode(
                RelayHeader.Kind.DATA_CONNECTION, at("127.0.0.9", 1), at("127.0.0.2", 2)));
    decode(header);
    refused(Reason.REPLAYED, () -> decode(header));

    byte[] old =
        bytes(
            sender.encode(
                RelayHeader.Kind.DATA_CONNECTION, at("127.0.0.9", 1), at("127.0.0.2", 2)));
    clock.advance(Duration.ofSeconds(31));
    refused(Reason.STALE, () -> decode(old));
    // and the first one stays refused once the window has moved on
    refused(Reason.STALE, () -> decode(header));
  }

  @Test
  void onlyAnotherReplicaOfThisClusterIsAPeer() throws Exception {
    ProxyV2Codec self = new ProxyV2Codec(SECRET, 0, 3, Duration.ofSeconds(30), clock);
    byte[] fromSelf =
        bytes(
            self.encode(RelayHeader.Kind.DATA_CONNECTION, at("127.0.0.9", 1), at("127.0.0.2", 2)));
    refused(Reason.NOT_PEER, () -> decode(fromSelf));
    ProxyV2Codec fourth = new ProxyV2Codec(SECRET, 3, 4, Duration.ofSeconds(30), clock);
    byte[] fromBeyond =
        bytes(
            fourth.encode(
                RelayHeader.Kind.DATA_CONNECTION, at("127.0.0.9", 1), at("127.0.0.2", 2)));
    refused(Reason.NOT_PEER, () -> decode(fromBeyond));
  }

  @Test
  void somethingElseThanAProxyV2HeaderIsRefusedWithoutReadingOn() throws Exception {
    refused(
        Reason.BAD_HEADER,
        () -> decode("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n".getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer huge = ByteBuffer.allocate(16);
    huge.put(ProxyV2Codec.SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 65535);
    refused(Reason.BAD_HEADER, () -> decode(huge.array()));
    ByteBuffer local = ByteBuffer.allocate(16);
    local.put(ProxyV2Codec.SIGNATURE).put((byte) 0x20).put((byte) 0x00).putShort((short) 0);
    refused(Reason.BAD_HEADER, () -> decode(local.array()));
    ByteBuffer udp = ByteBuffer.allocate(16);
    udp.put(ProxyV2Codec.SIGNATURE).put((byte) 0x21).put((byte) 0x12).putShort((short) 12);
    refused(Reason.BAD_HEADER, () -> decode(udp.array()));
    assertThatThrownBy(() -> decode(Arrays.copyOf(ProxyV2Codec.SIGNATURE, 10)))
        .isInstanceOf(java.io.EOFException.class);
  }
}

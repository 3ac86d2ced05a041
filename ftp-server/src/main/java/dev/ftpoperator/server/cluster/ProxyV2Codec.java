package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.cluster.RelayRefusal.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PROXY protocol v2 (haproxy.org/download/2.9/doc/proxy-protocol.txt) as the replicas speak it:
 * binary signature, command PROXY, TCP over IPv4 or IPv6, and two TLVs in the custom range. 0xE1
 * holds the {@link RelayHeader.Kind}; 0xE0 authenticates the header: version, sender ordinal,
 * timestamp (ms), a random nonce and an HMAC-SHA256 with the shared secret over the whole header
 * with the HMAC bytes zeroed (the way the spec's CRC32C TLV is computed). A header is read to its
 * last byte and no further, so what follows is the client's data, untouched.
 */
public final class ProxyV2Codec {

  static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };
  static final int VERSION_PROXY = 0x21;
  static final int TCP4 = 0x11;
  static final int TCP6 = 0x21;
  static final int TLV_AUTH = 0xE0;
  static final int TLV_KIND = 0xE1;
  static final int AUTH_VERSION = 1;
  static final int NONCE_BYTES = 16;
  static final int MAC_BYTES = 32;

  /** version, ordinal, timestamp, nonce, HMAC. */
  static final int AUTH_BYTES = 1 + 1 + 8 + NONCE_BYTES + MAC_BYTES;

  /** Ours are 16 + 36 + 62 + 4 bytes at most; anything much larger is not ours. */
  static final int MAX_LENGTH = 256;

  private static final String HMAC = "HmacSHA256";

  private final SecretKeySpec key;
  private final int self;
  private final int replicas;
  private final ReplayWindow replays;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ProxyV2Codec(byte[] secret, int self, int replicas, Duration window, Clock clock) {
    this.key = new SecretKeySpec(secret, HMAC);
    this.self = self;
    this.replicas = replicas;
    this.replays = new ReplayWindow(window);
    this.clock = clock;
  }

  /** A fresh header (new timestamp and nonce) from this replica. */
  public ByteBuffer encode(
      RelayHeader.Kind kind, InetSocketAddress source, InetSocketAddress destination) {
    InetAddress src = source.getAddress();
    InetAddress dst = destination.getAddress();
    boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
    int addressBytes = v4 ? 12 : 36;
    int length = addressBytes + (3 + 1) + (3 + AUTH_BYTES);
    ByteBuffer out = ByteBuffer.allocate(16 + length);
    out.put(SIGNATURE).put((byte) VERSION_PROXY).put((byte) (v4 ? TCP4 : TCP6));
    out.putShort((short) length);
    out.put(addressBytes(src, v4)).put(addressBytes(dst, v4));
    out.putShort((short) source.getPort()).putShort((short) destination.getPort());
    out.put((byte) TLV_KIND).putShort((short) 1).put((byte) kind.ordinal());
    out.put((byte) TLV_AUTH).putShort((short) AUTH_BYTES);
    out.put((byte) AUTH_VERSION).put((byte) self).putLong(clock.millis());
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    out.put(nonce);
    int macAt = out.position();
    out.put(new byte[MAC_BYTES]);
    byte[] header = out.array();
    System.arraycopy(mac(header), 0, header, macAt, MAC_BYTES);
    return out.flip();
  }

  /**
   * Reads one header from a blocking channel and checks it; the caller bounds the time it may take
   * (closing the channel ends the read).
   */
  public RelayHeader read(ReadableByteChannel in) throws IOException {
    ByteBuffer fixed = ByteBuffer.allocate(16);
    readFully(in, fixed);
    byte[] head = fixed.array();
    if (!Arrays.equals(head, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
      throw new RelayRefusal(Reason.BAD_HEADER, "no PROXY v2 signature");
    }
    int command = head[12] & 0xff;
    int family = head[13] & 0xff;
    int length = ((head[14] & 0xff) << 8) | (head[15] & 0xff);
    if (command != VERSION_PROXY) {
      throw new RelayRefusal(Reason.BAD_HEADER, "not version 2 command PROXY: " + command);
    }
    if (family != TCP4 && family != TCP6) {
      throw new RelayRefusal(Reason.BAD_HEADER, "not TCP over IPv4/IPv6: " + family);
    }
    int addressBytes = family == TCP4 ? 12 : 36;
    if (length < addressBytes || length > MAX_LENGTH) {
      throw new RelayRefusal(Reason.BAD_HEADER, "length " + length);
    }
    ByteBuffer rest = ByteBuffer.allocate(length);
    readFully(in, rest);
    byte[] header = new byte[16 + length];
    System.arraycopy(head, 0, header, 0, 16);
    System.arraycopy(rest.array(), 0, header, 16, length);
    return check(header, addressBytes);
  }

  private RelayHeader check(byte[] header, int addressBytes) throws RelayRefusal {
    ByteBuffer in = ByteBuffer.wrap(header);
    in.position(16);
    int ipBytes = addressBytes == 12 ? 4 : 16;
    InetAddress src = address(in, ipBytes);
    InetAddress dst = address(in, ipBytes);
    int srcPort = in.getShort() & 0xffff;
    int dstPort = in.getShort() & 0xffff;
    int kind = -1;
    int authAt = -1;
    while (in.hasRemaining()) {
      if (in.remaining() < 3) {
        throw new RelayRefusal(Reason.BAD_HEADER, "truncated TLV");
      }
      int type = in.get() & 0xff;
      int length = in.getShort() & 0xffff;
      if (length > in.remaining()) {
        throw new RelayRefusal(Reason.BAD_HEADER, "TLV longer than the header");
      }
      if (type == TLV_KIND && length == 1 && kind < 0) {
        kind = in.get(in.position()) & 0xff;
      } else if (type == TLV_AUTH && length == AUTH_BYTES && authAt < 0) {
        authAt = in.position();
      }
      // other TLVs are allowed by the spec and covered by the HMAC; they mean nothing to us
      in.position(in.position() + length);
    }
    if (authAt < 0 || header[authAt] != AUTH_VERSION) {
      throw new RelayRefusal(Reason.BAD_HMAC, "no authentication TLV");
    }
    int macAt = authAt + AUTH_BYTES - MAC_BYTES;
    byte[] claimed = Arrays.copyOfRange(header, macAt, macAt + MAC_BYTES);
    Arrays.fill(header, macAt, macAt + MAC_BYTES, (byte) 0);
    if (!MessageDigest.isEqual(claimed, mac(header))) {
      throw new RelayRefusal(Reason.BAD_HMAC, "HMAC does not match the cluster secret");
    }
    ByteBuffer auth = ByteBuffer.wrap(header, authAt + 1, AUTH_BYTES - 1);
    int sender = auth.get() & 0xff;
    long timestamp = auth.getLong();
    byte[] nonce = new byte[NONCE_BYTES];
    auth.get(nonce);
    if (sender >= replicas || sender == self) {
      throw new RelayRefusal(Reason.NOT_PEER, "sender ordinal " + sender);
    }
    replays.admit(timestamp, nonce, clock.millis());
    if (kind < 0 || kind >= RelayHeader.Kind.values().length) {
      throw new RelayRefusal(Reason.BAD_HEADER, "no or unknown kind TLV");
    }
    return new RelayHeader(
        RelayHeader.Kind.values()[kind],
        new InetSocketAddress(src, srcPort),
        new InetSocketAddress(dst, dstPort),
        sender);
  }

  private byte[] mac(byte[] header) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(header);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] addressBytes(InetAddress address, boolean v4) {
    byte[] raw = address.getAddress();
    if (v4 || raw.length == 16) {
      return raw;
    }
    // an IPv4 address next to an IPv6 one travels IPv4-mapped (::ffff:a.b.c.d)
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(raw, 0, mapped, 12, 4);
    return mapped;
  }

  private static InetAddress address(ByteBuffer in, int bytes) {
    byte[] raw = new byte[bytes];
    in.get(raw);
    try {
      // an IPv4-mapped address comes back as the Inet4Address it stands for
      return InetAddress.getByAddress(raw);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  private static void readFully(ReadableByteChannel in, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (in.read(buffer) < 0) {
        throw new EOFException("connection closed inside the PROXY header");
      }
    }
  }
}

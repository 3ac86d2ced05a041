package dev.ftpoperator.server.tls;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Wraps the two key forms the JDK cannot read directly into PKCS#8 (RFC 5208), which it can: PKCS#1
 * RSA keys ("RSA PRIVATE KEY", RFC 8017) and SEC1 EC keys ("EC PRIVATE KEY", RFC 5915). Only the
 * outer structure is built or looked at here; the JDK's key factories parse the key itself.
 */
final class DerKeyWrapper {

  private static final int SEQUENCE = 0x30;
  private static final int OCTET_STRING = 0x04;
  private static final int OBJECT_IDENTIFIER = 0x06;
  private static final int CONTEXT_0 = 0xa0;
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
  private static final byte[] NULL = {0x05, 0x00};

  /** 1.2.840.113549.1.1.1 */
  private static final byte[] RSA_ENCRYPTION = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };

  /** 1.2.840.10045.2.1 */
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private DerKeyWrapper() {}

  static byte[] pkcs8FromPkcs1(byte[] rsaPrivateKey) {
    return tlv(
        SEQUENCE,
        concat(VERSION_0, tlv(SEQUENCE, concat(RSA_ENCRYPTION, NULL)), octets(rsaPrivateKey)));
  }

  /**
   * The curve comes from the key's own parameters field ([0], a named curve), as openssl writes it;
   * a key without one cannot be used.
   */
  static byte[] pkcs8FromSec1(byte[] ecPrivateKey) throws GeneralSecurityException {
    Element outer = Element.at(ecPrivateKey, 0, ecPrivateKey.length);
    if (outer.tag != SEQUENCE || outer.end != ecPrivateKey.length) {
      throw new GeneralSecurityException("the EC private key is not a DER sequence");
    }
    int at = outer.contentStart;
    while (at < outer.end) {
      Element field = Element.at(ecPrivateKey, at, outer.end);
      if (field.tag == CONTEXT_0) {
        Element curve = Element.at(ecPrivateKey, field.contentStart, field.end);
        if (curve.tag != OBJECT_IDENTIFIER) {
          throw new GeneralSecurityException(
              "the EC private key's parameters are not a named curve");
        }
        byte[] curveOid = Arrays.copyOfRange(ecPrivateKey, curve.start, curve.end);
        return tlv(
            SEQUENCE,
            concat(
                VERSION_0, tlv(SEQUENCE, concat(EC_PUBLIC_KEY, curveOid)), octets(ecPrivateKey)));
      }
      at = field.end;
    }
    throw new GeneralSecurityException("the EC private key does not name its curve");
  }

  private static byte[] octets(byte[] content) {
    return tlv(OCTET_STRING, content);
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** One DER element: its tag, where it starts, where its content starts and where it ends. */
  private record Element(int tag, int start, int contentStart, int end) {

    /** Reads the element at {@code start}, which must end by {@code limit}. */
    static Element at(byte[] der, int start, int limit) throws GeneralSecurityException {
      if (limit - start < 2) {
        throw new GeneralSecurityException("the private key's DER is cut short");
      }
      int tag = der[start] & 0xff;
      int first = der[start + 1] & 0xff;
      int at = start + 2;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int bytes = first & 0x7f;
        if (bytes == 0 || bytes > 3 || at + bytes > limit) {
          throw new GeneralSecurityException("the private key's DER has a bad length");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[at++] & 0xff);
        }
      }
      if (length > limit - at) {
        throw new GeneralSecurityException("the private key's DER is cut short");
      }
      return new Element(tag, start, at, at + (int) length);
    }
  }
}

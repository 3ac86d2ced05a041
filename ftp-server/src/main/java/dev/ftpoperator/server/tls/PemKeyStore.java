package dev.ftpoperator.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the PEM files of a kubernetes.io/tls Secret (certificate chain + private key in PKCS#1,
 * PKCS#8 or SEC1 EC form) into an in-memory KeyStore: nothing is written to disk. Only the JDK's
 * own parsers: Bouncy Castle's PEM reader cost a TLS server about 0.4 s of its start.
 */
public final class PemKeyStore {

  public static final String ALIAS = "ftp";
  public static final char[] PASSWORD = "in-memory".toCharArray();

  /** A PEM block (RFC 7468); text around blocks, as openssl x509 -text writes it, is skipped. */
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** The algorithms a PKCS#8 key may be for, tried in turn (the key's own OID decides). */
  private static final List<String> KEY_ALGORITHMS =
      List.of("RSA", "EC", "RSASSA-PSS", "Ed25519", "Ed448");

  private PemKeyStore() {}

  public static KeyStore from(byte[] certificatePem, byte[] keyPem)
      throws GeneralSecurityException {
    List<Certificate> chain = certificates(certificatePem);
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate found in the certificate file");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an empty key store", e);
    }
    store.setKeyEntry(ALIAS, privateKey(keyPem), PASSWORD, chain.toArray(new Certificate[0]));
    return store;
  }

  private static List<Certificate> certificates(byte[] pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<Certificate> chain = new ArrayList<>();
    Matcher block = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (block.find()) {
      if (block.group(1).equals("CERTIFICATE")) {
        chain.add(
            factory.generateCertificate(
                new ByteArrayInputStream(der(block.group(2), "CERTIFICATE"))));
      }
    }
    return chain;
  }

  private static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    Matcher block = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (block.find()) {
      String type = block.group(1);
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der(block.group(2), type));
        case "RSA PRIVATE KEY":
          return pkcs8(DerKeyWrapper.pkcs8FromPkcs1(der(block.group(2), type)));
        case "EC PRIVATE KEY":
          return pkcs8(DerKeyWrapper.pkcs8FromSec1(der(block.group(2), type)));
        default:
          // EC PARAMETERS before an EC key (openssl ecparam -genkey), or a certificate
      }
    }
    throw new GeneralSecurityException("no unencrypted private key found in the key file");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException notThisAlgorithm) {
        // the next one
      }
    }
    throw new GeneralSecurityException(
        "the private key is none of " + String.join(", ", KEY_ALGORITHMS));
  }

  /**
   * A block with headers is an old-style encrypted key ("Proc-Type: 4,ENCRYPTED"): refused like an
   * encrypted PKCS#8 key, which has a type of its own and is never read.
   */
  private static byte[] der(String body, String type) throws GeneralSecurityException {
    if (body.indexOf(':') >= 0) {
      throw new GeneralSecurityException(
          "no unencrypted private key found in the key file (the " + type + " has headers)");
    }
    try {
      return Base64.getMimeDecoder().decode(body.strip());
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("the " + type + " is not valid base64", e);
    }
  }
}

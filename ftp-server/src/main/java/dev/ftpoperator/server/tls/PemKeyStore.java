package dev.ftpoperator.server.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Turns the PEM files of a kubernetes.io/tls Secret (certificate chain + private key in PKCS#1,
 * PKCS#8 or SEC1 EC form) into an in-memory KeyStore: nothing is written to disk.
 */
public final class PemKeyStore {

  public static final String ALIAS = "ftp";
  public static final char[] PASSWORD = "in-memory".toCharArray();

  private PemKeyStore() {}

  public static KeyStore from(byte[] certificatePem, byte[] keyPem)
      throws GeneralSecurityException, IOException {
    List<X509Certificate> chain = certificates(certificatePem);
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate found in the certificate file");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(ALIAS, privateKey(keyPem), PASSWORD, chain.toArray(new Certificate[0]));
    return store;
  }

  private static List<X509Certificate> certificates(byte[] pem)
      throws IOException, GeneralSecurityException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> chain = new ArrayList<>();
    try (PEMParser parser =
        new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      Object item;
      while ((item = parser.readObject()) != null) {
        if (item instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    }
    return chain;
  }

  private static PrivateKey privateKey(byte[] pem) throws IOException, GeneralSecurityException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser =
        new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      Object item;
      while ((item = parser.readObject()) != null) {
        if (item instanceof PEMKeyPair pair) {
          // SEC1 EC keys may omit the public key, so convert only the private part
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    }
    throw new GeneralSecurityException("no unencrypted private key found in the key file");
  }
}

package dev.ftpoperator.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Self-signed certificates made at test time and written as a kubernetes.io/tls Secret would mount
 * them.
 */
public final class TestCertificates {

  private TestCertificates() {}

  /** Writes tls.crt and tls.key (PKCS#8 RSA) into {@code dir}; returns the certificate. */
  public static X509Certificate writeRsa(Path dir, long serial) throws Exception {
    KeyPair pair = keyPair("RSA", 2048);
    X509Certificate certificate = selfSigned(pair, "SHA256withRSA", serial);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tls.crt"), pem(certificate));
    Files.writeString(
        dir.resolve("tls.key"), pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
    return certificate;
  }

  /** An EC key in the SEC1 "EC PRIVATE KEY" form that openssl ecparam writes. */
  public static X509Certificate writeEc(Path dir, long serial) throws Exception {
    KeyPair pair = keyPair("EC", 256);
    X509Certificate certificate = selfSigned(pair, "SHA256withECDSA", serial);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tls.crt"), pem(certificate));
    // SEC1 with the curve named inside, as openssl writes it
    PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
    ECPrivateKey sec1 =
        new ECPrivateKey(256, inner.getKey(), pkcs8.getPrivateKeyAlgorithm().getParameters());
    Files.writeString(
        dir.resolve("tls.key"), pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded())));
    return certificate;
  }

  private static KeyPair keyPair(String algorithm, int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSigned(KeyPair pair, String algorithm, long serial)
      throws Exception {
    X500Name name = new X500Name("CN=ftp-test");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(serial),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            name,
            pair.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}

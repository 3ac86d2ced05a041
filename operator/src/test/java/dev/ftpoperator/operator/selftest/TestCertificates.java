package dev.ftpoperator.operator.selftest;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates with a chosen validity window and subjectAltName, as PEM files. */
public final class TestCertificates {

  private TestCertificates() {}

  /**
   * Writes {@code dir}/tls.crt and tls.key, valid from {@code notBefore} to {@code notAfter}, for
   * the IP address {@code ip}; returns the two files as FTP_TLS_* variables.
   */
  public static Map<String, String> write(Path dir, Instant notBefore, Instant notAfter, String ip)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=ftp-self-test");
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(System.nanoTime()),
            Date.from(notBefore),
            Date.from(notAfter),
            name,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tls.crt"), pem(cert));
    Files.writeString(
        dir.resolve("tls.key"), pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
    return Map.of(
        "FTP_TLS_CERT_FILE", dir.resolve("tls.crt").toString(),
        "FTP_TLS_KEY_FILE", dir.resolve("tls.key").toString());
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}

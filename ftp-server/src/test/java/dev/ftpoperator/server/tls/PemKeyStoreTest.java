package dev.ftpoperator.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.server.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and certificates in the forms openssl (and so cert-manager and most CAs) writes, made by the
 * real openssl: each key must come out as the private half of its certificate.
 */
class PemKeyStoreTest {

  @TempDir static Path dir;

  @BeforeAll
  static void openssl() {
    ExternalTool.require("openssl");
  }

  static String run(String... command) throws Exception {
    ExternalTool.Result r = ExternalTool.run(dir, command);
    assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.output()).isZero();
    return r.output();
  }

  static byte[] read(String file) throws Exception {
    return Files.readAllBytes(dir.resolve(file));
  }

  /** A 2048-bit RSA key in PKCS#8, as openssl genpkey writes it. */
  static void rsaKey(String file) throws Exception {
    run(
        "openssl",
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        file);
  }

  static byte[] certificateFor(String key) throws Exception {
    String cert = key + ".crt";
    run(
        "openssl",
        "req",
        "-x509",
        "-key",
        key,
        "-subj",
        "/CN=ftp-test",
        "-days",
        "1",
        "-out",
        cert);
    return read(cert);
  }

  /** The key store's key signs what the certificate's public key verifies. */
  static void assertPairs(KeyStore store) throws Exception {
    PrivateKey key = (PrivateKey) store.getKey(PemKeyStore.ALIAS, PemKeyStore.PASSWORD);
    X509Certificate cert = (X509Certificate) store.getCertificate(PemKeyStore.ALIAS);
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    byte[] data = "ftp".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(data);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(data);
    assertThat(verifier.verify(signature))
        .as(key.getAlgorithm() + " key fits its certificate")
        .isTrue();
  }

  @Test
  void readsAnRsaKeyInPkcs8AndInPkcs1Form() throws Exception {
    rsaKey("rsa8");
    run("openssl", "rsa", "-in", "rsa8", "-traditional", "-out", "rsa1");
    byte[] cert = certificateFor("rsa8");
    assertThat(new String(read("rsa8"), StandardCharsets.US_ASCII)).contains("BEGIN PRIVATE KEY");
    assertThat(new String(read("rsa1"), StandardCharsets.US_ASCII))
        .contains("BEGIN RSA PRIVATE KEY");

    assertPairs(PemKeyStore.from(cert, read("rsa8")));
    KeyStore pkcs1 = PemKeyStore.from(cert, read("rsa1"));
    assertPairs(pkcs1);
    assertThat(pkcs1.getKey(PemKeyStore.ALIAS, PemKeyStore.PASSWORD).getEncoded())
        .isEqualTo(
            PemKeyStore.from(cert, read("rsa8"))
                .getKey(PemKeyStore.ALIAS, PemKeyStore.PASSWORD)
                .getEncoded());
  }

  @Test
  void readsSec1EcKeysAfterTheirParametersBlockAndPkcs8EcKeys() throws Exception {
    for (String curve : new String[] {"prime256v1", "secp384r1"}) {
      String sec1 = "ec-" + curve;
      run("openssl", "ecparam", "-name", curve, "-genkey", "-out", sec1);
      assertThat(new String(read(sec1), StandardCharsets.US_ASCII))
          .contains("BEGIN EC PARAMETERS")
          .contains("BEGIN EC PRIVATE KEY");
      run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", sec1, "-out", sec1 + ".p8");
      byte[] cert = certificateFor(sec1);
      assertPairs(PemKeyStore.from(cert, read(sec1)));
      assertPairs(PemKeyStore.from(cert, read(sec1 + ".p8")));
    }
  }

  @Test
  void readsAnEd25519Key() throws Exception {
    run("openssl", "genpkey", "-algorithm", "ED25519", "-out", "ed");
    assertPairs(PemKeyStore.from(certificateFor("ed"), read("ed")));
  }

  @Test
  void keepsTheWholeChainInOrderAndSkipsTheTextAroundIt() throws Exception {
    rsaKey("leaf");
    rsaKey("ca");
    byte[] ca = certificateFor("ca");
    run("openssl", "req", "-new", "-key", "leaf", "-subj", "/CN=ftp.example", "-out", "leaf.csr");
    run(
        "openssl",
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca",
        "-days",
        "1",
        "-set_serial",
        "7",
        "-out",
        "leaf.crt");
    // as openssl x509 -text prints it: a text dump before each certificate
    String leafText = run("openssl", "x509", "-in", "leaf.crt", "-text");
    String caText = run("openssl", "x509", "-in", "ca.crt", "-text");
    byte[] chain = (leafText + caText).getBytes(StandardCharsets.US_ASCII);
    assertThat(leafText).contains("Certificate:").contains("BEGIN CERTIFICATE");

    KeyStore store = PemKeyStore.from(chain, read("leaf"));
    assertPairs(store);
    Certificate[] stored = store.getCertificateChain(PemKeyStore.ALIAS);
    assertThat(stored).hasSize(2);
    assertThat(((X509Certificate) stored[0]).getSubjectX500Principal().getName())
        .isEqualTo("CN=ftp.example");
    assertThat(stored[1].getEncoded())
        .isEqualTo(PemKeyStore.from(ca, read("ca")).getCertificate(PemKeyStore.ALIAS).getEncoded());
  }

  @Test
  void refusesEncryptedKeysInBothFormsWithTheSameMessage() throws Exception {
    rsaKey("plain");
    byte[] cert = certificateFor("plain");
    run("openssl", "pkcs8", "-topk8", "-in", "plain", "-passout", "pass:secret", "-out", "enc8");
    run(
        "openssl",
        "rsa",
        "-in",
        "plain",
        "-traditional",
        "-aes128",
        "-passout",
        "pass:secret",
        "-out",
        "enc1");
    assertThat(new String(read("enc1"), StandardCharsets.US_ASCII))
        .contains("Proc-Type: 4,ENCRYPTED");

    for (String encrypted : new String[] {"enc8", "enc1"}) {
      assertThatThrownBy(() -> PemKeyStore.from(cert, read(encrypted)))
          .isInstanceOf(GeneralSecurityException.class)
          .hasMessageContaining("no unencrypted private key found in the key file");
    }
  }

  @Test
  void refusesAMissingCertificateAnEcKeyWithoutANamedCurveAndBrokenDer() throws Exception {
    run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", "named");
    byte[] cert = certificateFor("named");
    assertThatThrownBy(() -> PemKeyStore.from(read("named"), read("named")))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("no certificate found in the certificate file");

    run("openssl", "ec", "-in", "named", "-param_enc", "explicit", "-out", "explicit");
    assertThatThrownBy(() -> PemKeyStore.from(cert, read("explicit")))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("not a named curve");

    // a SEC1 key cut short, and one whose length field claims more than there is
    byte[] sec1 = der(read("named"), "EC PRIVATE KEY");
    for (byte[] broken :
        new byte[][] {java.util.Arrays.copyOf(sec1, sec1.length / 2), lengthClaimsMore(sec1)}) {
      assertThatThrownBy(() -> PemKeyStore.from(cert, pem("EC PRIVATE KEY", broken)))
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  static byte[] der(byte[] pem, String type) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    String body =
        text.substring(
            text.indexOf("-----BEGIN " + type + "-----")
                + ("-----BEGIN " + type + "-----").length(),
            text.indexOf("-----END " + type + "-----"));
    return Base64.getMimeDecoder().decode(body.strip());
  }

  static byte[] pem(String type, byte[] der) {
    return ("-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The outer sequence's short length raised by 16: it now claims bytes past the end. */
  static byte[] lengthClaimsMore(byte[] der) {
    byte[] copy = der.clone();
    copy[1] = (byte) (copy[1] + 16);
    return copy;
  }
}

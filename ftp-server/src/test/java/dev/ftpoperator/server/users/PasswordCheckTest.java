package dev.ftpoperator.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordCheckTest {

  @Test
  void aPlainPasswordMatchesOnlyItself() {
    PasswordCheck check = new PasswordCheck("s3cret");
    assertThat(check.matches("s3cret")).isTrue();
    assertThat(check.matches("s3cre")).isFalse();
    assertThat(check.matches("S3CRET")).isFalse();
    assertThat(check.matches(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2a", "2b", "2y"})
  void bcryptHashesOfEveryVersionAreChecked(String version) {
    String hash =
        OpenBSDBCrypt.generate(
            version,
            "s3cret".toCharArray(),
            "0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
            4);
    assertThat(hash).startsWith("$" + version + "$");
    assertThat(new PasswordCheck(hash).matches("s3cret")).isTrue();
    assertThat(new PasswordCheck(hash).matches("wrong")).isFalse();
  }

  @Test
  void aPbkdf2HashMadeByPythonsHashlibAsTheReadmeShowsIsChecked() {
    // python3 -c '...hashlib.pbkdf2_hmac("sha256", b"s3cret", b"0123456789abcdef", 1000)...'
    PasswordCheck check =
        new PasswordCheck(
            "{pbkdf2}sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$Pz0s4HPO+TyHnyTxIR8Lx+fEZojc3Lc26DQkf4ZOWCk=");
    assertThat(check.matches("s3cret")).isTrue();
    assertThat(check.matches("wrong")).isFalse();
  }

  @Test
  void aPbkdf2HashMadeByTheServerIsChecked() throws Exception {
    String hash = PasswordCheck.pbkdf2Hash("pw", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 2000);
    assertThat(new PasswordCheck(hash).matches("pw")).isTrue();
  }

  @Test
  void aMalformedHashNeverMatches() {
    assertThat(new PasswordCheck("{pbkdf2}sha256$x$y").matches("anything")).isFalse();
    assertThat(new PasswordCheck("$2b$04$notavalidhash").matches("anything")).isFalse();
  }

  @Test
  void aPasswordThatMatchedIsNotHashedAgainButEveryWrongOneIs() {
    String hash =
        OpenBSDBCrypt.generate(
            "2b",
            "s3cret".toCharArray(),
            "0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
            4);
    List<String> hashed = new ArrayList<>();
    PasswordCheck check =
        new PasswordCheck(
            hash,
            candidate -> {
              hashed.add(candidate);
              return OpenBSDBCrypt.checkPassword(hash, candidate.toCharArray());
            });
    assertThat(check.matches("wrong")).isFalse();
    assertThat(check.matches("s3cret")).isTrue();
    assertThat(check.matches("s3cret")).isTrue();
    assertThat(check.matches("wrong")).isFalse();
    assertThat(check.matches("s3cret")).isTrue();
    assertThat(check.matches("s3cret2")).isFalse();
    assertThat(hashed).containsExactly("wrong", "s3cret", "wrong", "s3cret2");
  }

  @Test
  void aPasswordVerifiedForOneHashDoesNotMatchAnother() {
    byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    PasswordCheck old =
        new PasswordCheck(OpenBSDBCrypt.generate("2b", "old".toCharArray(), salt, 4));
    PasswordCheck changed =
        new PasswordCheck(OpenBSDBCrypt.generate("2b", "new".toCharArray(), salt, 4));
    assertThat(old.matches("old")).isTrue();
    assertThat(changed.matches("old")).isFalse();
    assertThat(changed.matches("new")).isTrue();
    assertThat(old.matches("new")).isFalse();
  }
}

package dev.ftpoperator.server.users;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The stored form of one user's password and how to check a candidate against it. Three forms:
 *
 * <ul>
 *   <li>bcrypt: {@code $2a$..}, {@code $2b$..}, {@code $2y$..} (as made by htpasswd -B or any
 *       bcrypt library);
 *   <li>PBKDF2: {@code {pbkdf2}sha256$<iterations>$<base64 salt>$<base64 hash>} (also sha1,
 *       sha512);
 *   <li>anything else is a plain password.
 * </ul>
 */
public final class PasswordCheck {

  private static final String PBKDF2_PREFIX = "{pbkdf2}";

  private final String stored;

  public PasswordCheck(String stored) {
    this.stored = stored;
  }

  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    if (isBcrypt()) {
      try {
        return OpenBSDBCrypt.checkPassword(stored, candidate.toCharArray());
      } catch (RuntimeException malformedHash) {
        // BouncyCastle signals a malformed hash with several runtime exception types
        return false;
      }
    }
    if (stored.startsWith(PBKDF2_PREFIX)) {
      return matchesPbkdf2(candidate);
    }
    // constant time, so a timing probe does not reveal a plain password's prefix
    return MessageDigest.isEqual(
        stored.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  private boolean isBcrypt() {
    return stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$");
  }

  private boolean matchesPbkdf2(String candidate) {
    String[] parts = stored.substring(PBKDF2_PREFIX.length()).split("\\$");
    if (parts.length != 4) {
      return false;
    }
    try {
      String algorithm = "PBKDF2WithHmac" + parts[0].toUpperCase(Locale.ROOT);
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      byte[] actual = pbkdf2(algorithm, candidate, salt, iterations, expected.length * 8);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | GeneralSecurityException malformed) {
      return false;
    }
  }

  /** Builds the {@code {pbkdf2}} form, so README examples and tests use the same code path. */
  public static String pbkdf2Hash(String password, byte[] salt, int iterations)
      throws GeneralSecurityException {
    byte[] hash = pbkdf2("PBKDF2WithHmacSHA256", password, salt, iterations, 256);
    Base64.Encoder b64 = Base64.getEncoder();
    return PBKDF2_PREFIX
        + "sha256$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  private static byte[] pbkdf2(
      String algorithm, String password, byte[] salt, int iterations, int bits)
      throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
    try {
      return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
    } finally {
      spec.clearPassword();
    }
  }
}

package dev.ftpoperator.server.users;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
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
 *
 * A hash costs tens of milliseconds of CPU per check by design, and clients log in again and again
 * with the same password: once a candidate has matched, its keyed digest is kept and the next login
 * with it costs one HMAC. Only matches are kept, so guessing still pays the full hash each time.
 * The digest lives only as long as this stored form (a changed user file makes a new instance), and
 * its key is random per process.
 */
public final class PasswordCheck {

  private static final String PBKDF2_PREFIX = "{pbkdf2}";
  private static final String HMAC = "HmacSHA256";
  private static final byte[] DIGEST_KEY = randomKey();

  private final String stored;

  /** The hash check; null for a plain password. */
  private final Predicate<String> hashCheck;

  /** The keyed digest of the candidate that last matched the hash. */
  private volatile byte[] verified;

  public PasswordCheck(String stored) {
    this.stored = stored;
    this.hashCheck =
        isBcrypt()
            ? this::matchesBcrypt
            : stored.startsWith(PBKDF2_PREFIX) ? this::matchesPbkdf2 : null;
  }

  /** With the hash check replaced, so a test can count the checks. */
  PasswordCheck(String stored, Predicate<String> hashCheck) {
    this.stored = stored;
    this.hashCheck = hashCheck;
  }

  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    if (hashCheck == null) {
      // constant time, so a timing probe does not reveal a plain password's prefix
      return MessageDigest.isEqual(
          stored.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }
    byte[] digest = digest(candidate);
    byte[] known = verified;
    if (known != null && MessageDigest.isEqual(known, digest)) {
      return true;
    }
    if (!hashCheck.test(candidate)) {
      return false;
    }
    verified = digest;
    return true;
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static byte[] digest(String candidate) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(DIGEST_KEY, HMAC));
      return mac.doFinal(candidate.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private boolean matchesBcrypt(String candidate) {
    try {
      return OpenBSDBCrypt.checkPassword(stored, candidate.toCharArray());
    } catch (RuntimeException malformedHash) {
      // BouncyCastle signals a malformed hash with several runtime exception types
      return false;
    }
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

package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The self-test identity's Secret, {@code <name>-probe}: created once with a random password and
 * never updated (the reconciler only creates it when a GET finds none), so nothing rotates it by
 * accident; owned by the FtpServer, so it goes with it. The server pod mounts it as its probe
 * password file (FTP_PROBE_PASSWORD_FILE), beside and apart from the user's users Secret.
 */
public final class ProbeSecret {

  public static final String PASSWORD_KEY = "password";

  /** The probe's user name: the server's ProbeAccount.NAME (checked by ServerContractTest). */
  public static final String USER = ".ftp-operator-probe";

  private ProbeSecret() {}

  public static Secret desired(ResolvedFtpServer ftp, String password) {
    Secret secret =
        new SecretBuilder()
            .withMetadata(
                Names.meta(ftp.ftp(), Names.probeSecret(ftp.ftp()), Names.COMPONENT_PROBE))
            .withType("Opaque")
            .withData(
                Map.of(
                    PASSWORD_KEY,
                    Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))))
            .build();
    return Names.owned(secret, ftp.ftp());
  }

  /** 32 random bytes, URL-safe base64 (43 characters, no line breaks or padding). */
  public static String newPassword(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The password the Secret holds, empty if it holds none. */
  public static Optional<String> password(Secret secret) {
    return Optional.ofNullable(secret.getData())
        .map(d -> d.get(PASSWORD_KEY))
        .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).strip())
        .filter(p -> !p.isEmpty());
  }
}

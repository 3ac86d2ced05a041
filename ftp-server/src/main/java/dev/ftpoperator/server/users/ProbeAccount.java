package dev.ftpoperator.server.users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's self-test identity: a read-only account confined to a home of its own outside the
 * data root (empty but for the pod marker, see {@link #prepareHome}), whose password comes from its
 * own mounted file (the operator's probe Secret), so the user's users Secret is never touched. Its
 * name starts with '.', which no users-directory file can give, so no user can collide with it, and
 * it is never listed.
 *
 * @param passwordFile first line: the password; read at every login, so a new Secret applies
 * @param home the empty, read-only home
 */
public record ProbeAccount(Path passwordFile, Path home) {

  /** The probe's user name; the operator logs in with it. */
  public static final String NAME = ".ftp-operator-probe";

  /**
   * The one entry of the probe's home on a pod that knows its name: {@code served-by-<pod>}. The
   * probe's listing shows it, so the operator can tell which replica answered its control
   * connection behind the load balancer; only the probe identity sees this home.
   */
  public static final String POD_MARKER_PREFIX = "served-by-";

  private static final Logger LOG = LoggerFactory.getLogger(ProbeAccount.class);

  /**
   * Creates the home, with the empty marker file naming {@code podName} when it is known (a
   * replicated pod; FTP_POD_NAME). Nothing else is written there.
   */
  public static void prepareHome(Path home, Optional<String> podName) throws IOException {
    Files.createDirectories(home);
    if (podName.isPresent()) {
      Path marker = home.resolve(POD_MARKER_PREFIX + podName.get());
      if (!Files.exists(marker)) {
        Files.createFile(marker);
      }
    }
  }

  /** The account as the password file has it now; empty (logged, without content) if unreadable. */
  Optional<UserAccount> account() {
    try {
      List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        LOG.warn("probe password file {} is empty", passwordFile);
        return Optional.empty();
      }
      return Optional.of(
          new UserAccount(NAME, new PasswordCheck(lines.get(0).strip()), true, home));
    } catch (IOException e) {
      LOG.warn("cannot read probe password file {}: {}", passwordFile, e.toString());
      return Optional.empty();
    }
  }
}

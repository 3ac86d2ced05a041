package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks the Secrets an FtpServer names. The lookup is a function so that the check is pure and
 * unit-testable; the reconciler passes a GET through the Kubernetes client.
 */
public final class SecretCheck {

  private SecretCheck() {}

  public static List<Problem> problems(
      ResolvedFtpServer ftp, Function<String, Optional<Secret>> lookup) {
    List<Problem> problems = new ArrayList<>();
    String namespace = ftp.namespace();
    ftp.usersSecret()
        .ifPresent(
            name -> {
              if (lookup.apply(name).isEmpty()) {
                problems.add(
                    new Problem(
                        Reason.UsersSecretNotFound,
                        "Secret "
                            + name
                            + " (spec.users.secretRef) not found in namespace "
                            + namespace
                            + ": create it with one key per user (value: the password); the server pod waits for it"));
              }
            });
    if (ftp.tlsMode().isPresent()) {
      String name = ftp.tlsSecret().orElseThrow();
      Optional<Secret> secret = lookup.apply(name);
      if (secret.isEmpty()) {
        problems.add(
            new Problem(
                Reason.TlsSecretNotFound,
                "Secret "
                    + name
                    + " (spec.tls.secretRef) not found in namespace "
                    + namespace
                    + ": create a kubernetes.io/tls Secret with tls.crt and tls.key (cert-manager can issue"
                    + " it); the server pod waits for it"));
      } else if (!hasKeys(secret.get(), "tls.crt", "tls.key")) {
        problems.add(
            new Problem(
                Reason.TlsSecretInvalid,
                "Secret "
                    + name
                    + " (spec.tls.secretRef) has no tls.crt and tls.key: it must be a"
                    + " kubernetes.io/tls Secret with a PEM certificate and key"));
      }
    }
    return problems;
  }

  private static boolean hasKeys(Secret secret, String... keys) {
    Map<String, String> data = secret.getData();
    Map<String, String> stringData = secret.getStringData();
    for (String key : keys) {
      boolean present =
          (data != null && data.containsKey(key))
              || (stringData != null && stringData.containsKey(key));
      if (!present) {
        return false;
      }
    }
    return true;
  }
}

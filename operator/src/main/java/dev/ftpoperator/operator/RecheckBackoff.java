package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;

/**
 * When to look again at something the operator is not told about (Secrets are not watched: the
 * operator may only GET them): half the time the problem has lasted, between 5 s and 5 min. A
 * back-off that needs no state beyond Ready's lastTransitionTime.
 */
final class RecheckBackoff {

  static final Duration MIN = Duration.ofSeconds(5);
  static final Duration MAX = Duration.ofMinutes(5);

  private RecheckBackoff() {}

  static Duration after(FtpServerStatus status, Instant now) {
    Duration lasted =
        StatusComputer.condition(status, StatusComputer.READY)
            .map(Condition::getLastTransitionTime)
            .map(t -> Duration.between(Instant.parse(t), now))
            .orElse(Duration.ZERO);
    Duration half = lasted.dividedBy(2);
    if (half.compareTo(MIN) < 0) {
      return MIN;
    }
    return half.compareTo(MAX) > 0 ? MAX : half;
  }
}

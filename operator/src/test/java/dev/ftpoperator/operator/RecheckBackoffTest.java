package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.operator.StatusComputer.Observed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecheckBackoffTest {

  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

  @Test
  void backsOffFromFiveSecondsToFiveMinutesAsTheProblemLasts() {
    Problem missing = new Problem(Reason.UsersSecretNotFound, "x");
    FtpServerStatus status =
        StatusComputer.compute(
            FtpServers.view(FtpServers.partners()),
            new Observed(Optional.empty(), List.of(missing), T0));
    assertThat(RecheckBackoff.after(status, T0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RecheckBackoff.after(status, T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(30));
    assertThat(RecheckBackoff.after(status, T0.plusSeconds(3600))).isEqualTo(Duration.ofMinutes(5));
  }
}

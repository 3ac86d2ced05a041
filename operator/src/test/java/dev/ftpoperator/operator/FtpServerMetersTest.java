package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.operator.selftest.ProbeResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FtpServerMetersTest {

  private static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");

  @Test
  void selfTestProbesAreCountedByTheReasonTheyGiveAndSuccessesTimed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FtpServerMeters meters = new FtpServerMeters(registry);
    meters.probed(new ProbeResult(Optional.empty(), "listed", 40, List.of(), T0));
    meters.probed(new ProbeResult(Optional.empty(), "listed", 60, List.of(), T0));
    meters.probed(
        new ProbeResult(
            Optional.of(ProbeResult.Failure.DATA_PORT),
            "data port 30004 timed out",
            10_000,
            List.of(),
            T0));

    assertThat(
            registry
                .get(FtpServerMeters.PROBES)
                .tag("result", "TransferVerified")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(FtpServerMeters.PROBES)
                .tag("result", "DataPortUnreachable")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(FtpServerMeters.ROUND_TRIP).timer().count()).isEqualTo(2);
    assertThat(registry.get(FtpServerMeters.ROUND_TRIP).timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(100);
  }
}

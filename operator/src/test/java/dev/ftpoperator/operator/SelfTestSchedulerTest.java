package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.operator.OperatorSettings.SelfTestSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SelfTestSchedulerTest {

  static final SelfTestSettings SETTINGS =
      new SelfTestSettings(4, Duration.ofSeconds(10), 3, Duration.ofMinutes(10));

  @Test
  void theIntervalHoldsUntilReadyWouldTurnFalseThenDoublesUpToTheCap() {
    Duration minute = Duration.ofMinutes(1);
    assertThat(SelfTestScheduler.backoff(minute, 0, SETTINGS)).isEqualTo(minute);
    assertThat(SelfTestScheduler.backoff(minute, 2, SETTINGS)).isEqualTo(minute);
    assertThat(SelfTestScheduler.backoff(minute, 3, SETTINGS)).isEqualTo(Duration.ofMinutes(2));
    assertThat(SelfTestScheduler.backoff(minute, 4, SETTINGS)).isEqualTo(Duration.ofMinutes(4));
    assertThat(SelfTestScheduler.backoff(minute, 6, SETTINGS)).isEqualTo(Duration.ofMinutes(10));
    assertThat(SelfTestScheduler.backoff(minute, 60, SETTINGS)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aResultReconcilesItsFtpServerAndADeletedFtpServerIsForgotten() throws Exception {
    SelfTestScheduler scheduler =
        new SelfTestScheduler(SETTINGS, java.time.Clock.systemUTC(), result -> {});
    java.util.concurrent.BlockingQueue<io.javaoperatorsdk.operator.processing.event.Event> events =
        new java.util.concurrent.LinkedBlockingQueue<>();
    scheduler.setEventHandler(events::add);
    scheduler.start();
    try {
      dev.ftpoperator.api.v1alpha1.FtpServer ftp = FtpServers.partners();
      io.javaoperatorsdk.operator.processing.event.ResourceID id =
          io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(ftp);
      int closed;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      scheduler.want(
          id,
          new dev.ftpoperator.operator.selftest.ProbeTarget(
              "127.0.0.1",
              closed,
              dev.ftpoperator.operator.selftest.ProbeTarget.Tls.NONE,
              30000,
              30019,
              ProbeSecret.USER,
              "pw",
              java.util.Optional.empty(),
              Duration.ofSeconds(2),
              java.util.List.of()),
          Duration.ofMinutes(1),
          true,
          0,
          false);
      assertThat(
              events.poll(20, java.util.concurrent.TimeUnit.SECONDS).getRelatedCustomResourceID())
          .isEqualTo(id);
      SelfTestScheduler.Observation seen = scheduler.observation(id);
      assertThat(seen.consecutiveFailures()).isEqualTo(1);
      assertThat(seen.latest().orElseThrow().failure())
          .contains(dev.ftpoperator.operator.selftest.ProbeResult.Failure.CONNECT);
      assertThat(scheduler.getSecondaryResources(ftp)).containsExactly(seen.latest().get());

      scheduler.onResourceDeleted(ftp);
      assertThat(scheduler.tracked()).isZero();
      assertThat(scheduler.observation(id)).isEqualTo(SelfTestScheduler.Observation.NONE);
    } finally {
      scheduler.stop();
    }
  }

  @Test
  void neverMoreOftenThanTheInterval() {
    Duration hour = Duration.ofHours(1);
    for (int failures = 0; failures < 10; failures++) {
      assertThat(SelfTestScheduler.backoff(hour, failures, SETTINGS)).isGreaterThanOrEqualTo(hour);
    }
  }

  @Test
  void untilTheFirstVerifiedTransferAFailureIsRetriedAfterTheMinimumGapAFewTimes() {
    Duration minute = Duration.ofMinutes(1);
    assertThat(SelfTestScheduler.nextDelay(minute, 1, false, SETTINGS))
        .isEqualTo(SelfTestScheduler.MIN_GAP);
    assertThat(SelfTestScheduler.nextDelay(minute, 2, false, SETTINGS))
        .isEqualTo(SelfTestScheduler.MIN_GAP);
    // from the failure that turns Ready False on, the usual backoff
    assertThat(SelfTestScheduler.nextDelay(minute, 3, false, SETTINGS))
        .isEqualTo(Duration.ofMinutes(2));
    // once verified, never sooner than the interval
    assertThat(SelfTestScheduler.nextDelay(minute, 1, true, SETTINGS)).isEqualTo(minute);
    assertThat(SelfTestScheduler.nextDelay(minute, 0, false, SETTINGS)).isEqualTo(minute);
    assertThat(SelfTestScheduler.nextDelay(SelfTestScheduler.MIN_GAP, 1, false, SETTINGS))
        .isEqualTo(SelfTestScheduler.MIN_GAP);
  }
}

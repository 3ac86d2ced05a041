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
  void neverMoreOftenThanTheInterval() {
    Duration hour = Duration.ofHours(1);
    for (int failures = 0; failures < 10; failures++) {
      assertThat(SelfTestScheduler.backoff(hour, failures, SETTINGS)).isGreaterThanOrEqualTo(hour);
    }
  }
}

package dev.ftpoperator.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginGuardTest {

  private final ManualClock clock = new ManualClock();
  private final LoginGuard guard =
      new LoginGuard(3, Duration.ofMinutes(5), Duration.ofMinutes(15), clock);
  private final InetAddress ip = InetAddress.getLoopbackAddress();

  @Test
  void theNthFailureInsideTheWindowBansTheIpForTheBanDuration() {
    assertThat(guard.failed(ip)).isFalse();
    assertThat(guard.failed(ip)).isFalse();
    assertThat(guard.failed(ip)).isTrue();
    assertThat(guard.isBanned(ip)).isTrue();
    clock.advance(Duration.ofMinutes(16));
    assertThat(guard.isBanned(ip)).isFalse();
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    guard.failed(ip);
    guard.failed(ip);
    clock.advance(Duration.ofMinutes(6));
    assertThat(guard.failed(ip)).isFalse();
    assertThat(guard.isBanned(ip)).isFalse();
  }

  @Test
  void aSuccessfulLoginClearsTheFailures() {
    guard.failed(ip);
    guard.failed(ip);
    guard.succeeded(ip);
    assertThat(guard.failed(ip)).isFalse();
  }

  @Test
  void zeroMaxFailuresNeverBans() {
    LoginGuard off = new LoginGuard(0, Duration.ofMinutes(5), Duration.ofMinutes(15), clock);
    for (int i = 0; i < 100; i++) {
      assertThat(off.failed(ip)).isFalse();
    }
    assertThat(off.isBanned(ip)).isFalse();
  }
}

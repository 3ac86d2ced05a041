package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublicAddressResolverTest {

  @Test
  void anIpIsAdvertisedAsIs() {
    PublicAddressResolver resolver =
        new PublicAddressResolver(
            Optional.of("198.51.100.4"), Duration.ofSeconds(30), Clock.systemUTC());
    assertThat(resolver.current())
        .hasValueSatisfying(a -> assertThat(a.getHostAddress()).isEqualTo("198.51.100.4"));
  }

  @Test
  void nothingConfiguredMeansNothingAdvertised() {
    PublicAddressResolver resolver =
        new PublicAddressResolver(Optional.empty(), Duration.ofSeconds(30), Clock.systemUTC());
    assertThat(resolver.isConfigured()).isFalse();
    assertThat(resolver.current()).isEmpty();
  }

  @Test
  void aNameThatDoesNotResolveGivesNothingUntilItDoes() {
    PublicAddressResolver resolver =
        new PublicAddressResolver(
            Optional.of("no-such-host.invalid"),
            Duration.ofSeconds(30),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    assertThat(resolver.isConfigured()).isTrue();
    assertThat(resolver.current()).isEmpty();
  }

  @Test
  void aResolvedNameIsCachedForTheTtl() {
    PublicAddressResolver resolver =
        new PublicAddressResolver(
            Optional.of("localhost"), Duration.ofSeconds(30), Clock.systemUTC());
    assertThat(resolver.current())
        .hasValueSatisfying(a -> assertThat(a.isLoopbackAddress()).isTrue());
    assertThat(resolver.current()).isEqualTo(resolver.current());
  }
}

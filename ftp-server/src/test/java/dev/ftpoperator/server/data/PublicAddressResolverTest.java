package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.ManualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublicAddressResolverTest {

  private static final String NAME = "lb.example.test";
  private static final Duration TTL = Duration.ofSeconds(30);

  /** A name service the test edits; it records every name asked for. */
  private static final class NameTable implements PublicAddressResolver.NameLookup {
    private final Map<String, InetAddress[]> entries = new HashMap<>();
    private final List<String> asked = new ArrayList<>();

    void set(String name, String... ips) throws UnknownHostException {
      InetAddress[] addresses = new InetAddress[ips.length];
      for (int i = 0; i < ips.length; i++) {
        addresses[i] = InetAddress.getByName(ips[i]); // literals: never a DNS query
      }
      entries.put(name, addresses);
    }

    void remove(String name) {
      entries.remove(name);
    }

    @Override
    public InetAddress[] addressesOf(String name) throws UnknownHostException {
      asked.add(name);
      InetAddress[] found = entries.get(name);
      if (found == null) {
        throw new UnknownHostException(name);
      }
      return found;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final NameTable names = new NameTable();
  private final PublicAddressResolver resolver =
      new PublicAddressResolver(Optional.of(NAME), TTL, clock, names);

  private static String ip(Optional<? extends InetAddress> address) {
    return address.map(InetAddress::getHostAddress).orElse("none");
  }

  @Test
  void anIpIsAdvertisedAsIs() {
    PublicAddressResolver literal =
        new PublicAddressResolver(Optional.of("198.51.100.4"), TTL, Clock.systemUTC());
    assertThat(ip(literal.current())).isEqualTo("198.51.100.4");
  }

  @Test
  void nothingConfiguredMeansNothingAdvertisedAndNothingLookedUp() {
    PublicAddressResolver none = new PublicAddressResolver(Optional.empty(), TTL, clock, names);
    assertThat(none.isConfigured()).isFalse();
    assertThat(none.current()).isEmpty();
    assertThat(names.asked).isEmpty();
  }

  @Test
  void aNameThatDoesNotResolveGivesNothingUntilItDoes() throws Exception {
    assertThat(resolver.isConfigured()).isTrue();
    assertThat(resolver.current()).isEmpty();
    // a failure is not cached: the next reply looks again, at the same instant
    names.set(NAME, "203.0.113.9");
    assertThat(ip(resolver.current())).isEqualTo("203.0.113.9");
    assertThat(names.asked).containsExactly(NAME, NAME);
  }

  @Test
  void aResolvedNameIsCachedForTheTtlAndLookedUpAgainAfterIt() throws Exception {
    names.set(NAME, "203.0.113.9");
    assertThat(ip(resolver.current())).isEqualTo("203.0.113.9");

    names.set(NAME, "203.0.113.10"); // the load balancer moved
    clock.advance(TTL.minusSeconds(1));
    assertThat(ip(resolver.current())).as("inside the TTL").isEqualTo("203.0.113.9");
    assertThat(names.asked).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(ip(resolver.current())).as("once the TTL is over").isEqualTo("203.0.113.10");
    assertThat(names.asked).hasSize(2);
  }

  @Test
  void whenARefreshFailsTheLastGoodAddressIsKept() throws Exception {
    names.set(NAME, "203.0.113.9");
    assertThat(ip(resolver.current())).isEqualTo("203.0.113.9");
    names.remove(NAME);
    clock.advance(TTL);
    assertThat(ip(resolver.current())).isEqualTo("203.0.113.9");
    assertThat(names.asked).hasSize(2);
  }

  @Test
  void theFirstIpv4AddressOfTheNameIsAdvertised() throws Exception {
    names.set(NAME, "2001:db8::1", "203.0.113.9", "203.0.113.10");
    assertThat(ip(resolver.current())).isEqualTo("203.0.113.9");
  }

  @Test
  void aNameWithOnlyIpv6AddressesGivesNothing() throws Exception {
    names.set(NAME, "2001:db8::1");
    assertThat(resolver.current()).isEmpty();
  }

  @Test
  void onlyANameNeedsALookupNotAnIpLiteralOrNoAddress() {
    assertThat(resolver("10.99.2.1").answersWithoutLookup()).isTrue();
    assertThat(resolver("fd00::9").answersWithoutLookup()).isTrue();
    assertThat(new PublicAddressResolver(Optional.empty(), TTL, Clock.systemUTC()))
        .returns(true, PublicAddressResolver::answersWithoutLookup);
    assertThat(resolver(NAME).answersWithoutLookup()).isFalse();
    assertThat(resolver("10.example.test").answersWithoutLookup()).isFalse();
  }

  private static PublicAddressResolver resolver(String configured) {
    return new PublicAddressResolver(Optional.of(configured), TTL, Clock.systemUTC());
  }
}

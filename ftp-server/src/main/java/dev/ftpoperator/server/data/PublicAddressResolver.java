package dev.ftpoperator.server.data;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address advertised in PASV replies. An IP is used as is; a DNS name (cloud load balancers
 * hand out names) is resolved when a PASV reply is built and cached briefly, so an LB whose IPs
 * change keeps working without a restart. When a refresh fails the last good address is kept.
 */
public final class PublicAddressResolver {

  private static final Logger LOG = LoggerFactory.getLogger(PublicAddressResolver.class);

  /** Dotted IPv4, or IPv6 (only literals hold a colon). */
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

  private final Optional<String> configured;
  private final Duration cacheTtl;
  private final Clock clock;
  private final NameLookup lookup;
  private Inet4Address cached;
  private Instant cachedAt = Instant.MIN;

  /** How a name becomes addresses: the system resolver, or a table a test changes. */
  @FunctionalInterface
  interface NameLookup {
    InetAddress[] addressesOf(String name) throws UnknownHostException;
  }

  public PublicAddressResolver(Optional<String> configured, Duration cacheTtl, Clock clock) {
    this(configured, cacheTtl, clock, InetAddress::getAllByName);
  }

  PublicAddressResolver(
      Optional<String> configured, Duration cacheTtl, Clock clock, NameLookup lookup) {
    this.configured = configured;
    this.cacheTtl = cacheTtl;
    this.clock = clock;
    this.lookup = lookup;
  }

  public boolean isConfigured() {
    return configured.isPresent();
  }

  /** No address, or an IP literal (which the JDK parses without asking a resolver). */
  public boolean answersWithoutLookup() {
    return configured.map(IP_LITERAL::matcher).map(m -> m.matches()).orElse(true);
  }

  /** The IPv4 address to advertise, empty when none is configured or the name does not resolve. */
  public synchronized Optional<Inet4Address> current() {
    if (configured.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (cached != null && now.isBefore(cachedAt.plus(cacheTtl))) {
      return Optional.of(cached);
    }
    try {
      for (InetAddress candidate : lookup.addressesOf(configured.get())) {
        if (candidate instanceof Inet4Address v4) {
          if (!v4.equals(cached)) {
            LOG.info(
                "public passive address {} resolves to {}", configured.get(), v4.getHostAddress());
          }
          cached = v4;
          cachedAt = now;
          return Optional.of(v4);
        }
      }
      LOG.warn("public passive address {} has no IPv4 address", configured.get());
    } catch (UnknownHostException e) {
      LOG.warn("public passive address {} does not resolve: {}", configured.get(), e.getMessage());
    }
    return Optional.ofNullable(cached);
  }
}

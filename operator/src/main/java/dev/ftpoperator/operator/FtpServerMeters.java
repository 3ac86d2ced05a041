package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.operator.selftest.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own meters: how many FtpServers stand in each condition, status and reason
 * (counted from the informer cache when scraped, so a deleted FtpServer leaves the count at once),
 * how long FtpServers waited for their public address, and the self-test's probes by result with
 * their round trip.
 */
final class FtpServerMeters {

  /** {@code ftp_operator_ftpservers{condition, status, reason}} in Prometheus. */
  static final String FTPSERVERS = "ftp.operator.ftpservers";

  /** {@code ftp_operator_address_wait_seconds}: AddressAssigned False until it turned True. */
  static final String ADDRESS_WAIT = "ftp.operator.address.wait";

  /** {@code ftp_operator_self_test_probes_total{result}}: result = the TransferVerified reason. */
  static final String PROBES = "ftp.operator.self.test.probes";

  /** {@code ftp_operator_self_test_round_trip_seconds}: successful probes, connect to logout. */
  static final String ROUND_TRIP = "ftp.operator.self.test.round.trip";

  private final MeterRegistry registry;
  private final Timer addressWait;
  private final Timer roundTrip;
  private final Set<List<String>> registered = ConcurrentHashMap.newKeySet();
  private volatile IndexedResourceCache<FtpServer> cache;

  FtpServerMeters(MeterRegistry registry) {
    this.registry = registry;
    this.addressWait =
        Timer.builder(ADDRESS_WAIT)
            .description("How long FtpServers waited for their public address")
            .register(registry);
    this.roundTrip =
        Timer.builder(ROUND_TRIP)
            .description("Round trip of successful self-test probes")
            .register(registry);
  }

  /** One self-test probe's result: counted by the reason it gives TransferVerified. */
  void probed(ProbeResult result) {
    Reason reason = result.failure().map(StatusComputer::reasonOf).orElse(Reason.TransferVerified);
    Counter.builder(PROBES)
        .description("Self-test probes by result (the reason they give TransferVerified)")
        .tag("result", reason.name())
        .register(registry)
        .increment();
    if (result.ok()) {
      roundTrip.record(Duration.ofMillis(result.roundTripMillis()));
    }
  }

  /** The FtpServers the gauges count: the controller's own cache. */
  void count(IndexedResourceCache<FtpServer> cache) {
    this.cache = cache;
  }

  /**
   * A status the reconciler writes (or keeps): its conditions get a gauge, a wait that ended is
   * timed.
   */
  void observe(FtpServer ftp, FtpServerStatus before, FtpServerStatus after, Instant now) {
    if (after.getConditions() != null) {
      after.getConditions().forEach(this::gauge);
    }
    boolean assigned = isTrue(after, StatusComputer.ADDRESS_ASSIGNED);
    Optional<Condition> waiting =
        StatusComputer.condition(before, StatusComputer.ADDRESS_ASSIGNED)
            .filter(c -> "False".equals(c.getStatus()));
    if (assigned && waiting.isPresent() && waiting.get().getLastTransitionTime() != null) {
      Duration waited = Duration.between(Instant.parse(waiting.get().getLastTransitionTime()), now);
      addressWait.record(waited.isNegative() ? Duration.ZERO : waited);
    }
  }

  private static boolean isTrue(FtpServerStatus status, String type) {
    return StatusComputer.condition(status, type)
        .filter(c -> "True".equals(c.getStatus()))
        .isPresent();
  }

  private void gauge(Condition c) {
    List<String> key = List.of(c.getType(), c.getStatus(), String.valueOf(c.getReason()));
    if (registered.add(key)) {
      Gauge.builder(FTPSERVERS, () -> count(key))
          .description("FtpServers by condition, its status and reason")
          .tags("condition", key.get(0), "status", key.get(1), "reason", key.get(2))
          .strongReference(true)
          .register(registry);
    }
  }

  private long count(List<String> key) {
    IndexedResourceCache<FtpServer> current = cache;
    if (current == null) {
      return 0;
    }
    return current
        .list()
        .filter(
            f ->
                StatusComputer.condition(f.getStatus(), key.get(0))
                    .filter(
                        c ->
                            key.get(1).equals(c.getStatus())
                                && key.get(2).equals(String.valueOf(c.getReason())))
                    .isPresent())
        .count();
  }
}

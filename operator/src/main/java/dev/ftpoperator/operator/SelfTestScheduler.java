package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.operator.OperatorSettings.SelfTestSettings;
import dev.ftpoperator.operator.selftest.FtpProbe;
import dev.ftpoperator.operator.selftest.ProbeResult;
import dev.ftpoperator.operator.selftest.ProbeTarget;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs each FtpServer's self-test on its own schedule, on a small fixed pool (never in a reconcile
 * thread), and feeds every result back as an event that reconciles that FtpServer; the status
 * computation reads the latest result like any other observation ({@link #observation}).
 *
 * <p>The reconciler says what to probe ({@link #want}); a probe never starts sooner than the
 * interval after the previous one of the same FtpServer (a changed target, e.g. a fixed
 * passiveAddress, waits at most {@link #MIN_GAP}); after {@code failuresBeforeNotReady} failures in
 * a row the interval doubles per failure up to {@code maxBackoff}. Until the first verified
 * transfer, which Ready waits for, a failure is retried after {@link #MIN_GAP}, up to that many
 * failures: a pod that has just turned ready may not be routed to yet. The load balancer spreads
 * the probes' control connections over the replicas; a replica that names itself in the listing
 * (its {@code served-by-<pod>} marker) gets a result of its own. State per FtpServer: one entry
 * with its target, its last result and last success, and at most one scheduled task.
 */
final class SelfTestScheduler extends AbstractEventSource<ProbeResult, FtpServer>
    implements ResourceEventAware<FtpServer> {

  static final String NAME = "self-test";

  /**
   * The shortest gap between two probes of one FtpServer (= spec.selfTest.intervalSeconds' min).
   */
  static final Duration MIN_GAP = Duration.ofSeconds(10);

  /**
   * A pod that has just turned ready is probed this much later: kube-proxy and load balancers route
   * to it within about a second, and a probe before that would fail and wait for the next one.
   */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private static final Logger LOG = Logger.getLogger(SelfTestScheduler.class);

  /**
   * What the status computation sees of one FtpServer's self-test; {@code pods}: per replica that
   * named itself in a probe's listing, the latest and the last successful of those probes.
   */
  record Observation(
      Optional<ProbeResult> latest,
      Optional<ProbeResult> lastSuccess,
      int consecutiveFailures,
      Map<String, PodObservation> pods) {
    static final Observation NONE = new Observation(Optional.empty(), Optional.empty(), 0);

    Observation(
        Optional<ProbeResult> latest, Optional<ProbeResult> lastSuccess, int consecutiveFailures) {
      this(latest, lastSuccess, consecutiveFailures, Map.of());
    }
  }

  /** The probes one pod answered: the latest, and the last that succeeded. */
  record PodObservation(ProbeResult latest, Optional<ProbeResult> lastSuccess) {}

  private static final class Entry {
    ProbeTarget target;
    Duration interval;
    Optional<ProbeResult> latest = Optional.empty();
    Optional<ProbeResult> lastSuccess = Optional.empty();

    /** By pod name; at most one per replica (StatefulSet pods keep their names). */
    final Map<String, PodObservation> pods = new HashMap<>();

    int failures;
    Instant lastStart = Instant.MIN;
    ScheduledFuture<?> next;
    boolean running;
    boolean serving;
  }

  private final SelfTestSettings settings;
  private final FtpProbe probe;
  private final Clock clock;
  private final Consumer<ProbeResult> results;
  private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();
  private volatile ScheduledThreadPoolExecutor pool;

  /** {@code results} sees every probe's result (the operator's metrics). */
  SelfTestScheduler(SelfTestSettings settings, Clock clock, Consumer<ProbeResult> results) {
    super(ProbeResult.class, NAME);
    this.settings = settings;
    this.probe = new FtpProbe(clock);
    this.clock = clock;
    this.results = results;
  }

  @Override
  public synchronized void start() throws OperatorException {
    AtomicInteger count = new AtomicInteger();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            settings.threads(),
            r -> {
              Thread t = new Thread(r, "ftp-self-test-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    pool = executor;
    super.start();
  }

  @Override
  public synchronized void stop() throws OperatorException {
    if (pool != null) {
      pool.shutdownNow();
    }
    super.stop();
  }

  /**
   * Probe {@code target} every {@code interval} while {@code serving} (a server pod available). The
   * first call for an FtpServer seeds the failure count from its status (an operator restart does
   * not forget a failing server) and, when the status already has a result, spreads the first probe
   * over the interval (a restart does not probe every server at once).
   */
  void want(
      ResourceID id,
      ProbeTarget target,
      Duration interval,
      boolean serving,
      int seedFailures,
      boolean hadResult) {
    Entry entry = entries.computeIfAbsent(id, k -> new Entry());
    synchronized (entry) {
      boolean fresh = entry.target == null;
      boolean becameServing = serving && !entry.serving;
      boolean changed = fresh || !entry.target.equals(target) || becameServing;
      if (fresh) {
        entry.failures = seedFailures;
      }
      entry.target = target;
      entry.interval = interval;
      entry.serving = serving;
      if (!serving) {
        cancel(entry);
      } else if (entry.running) {
        // run() schedules the next one when it ends
      } else if (fresh && hadResult) {
        long spread = ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis()));
        schedule(id, entry, Duration.ofMillis(spread));
      } else if (becameServing) {
        Duration allowed = untilAllowed(entry, MIN_GAP);
        schedule(id, entry, allowed.compareTo(SETTLE) > 0 ? allowed : SETTLE);
      } else if (changed) {
        schedule(id, entry, untilAllowed(entry, MIN_GAP));
      }
    }
  }

  /** No more probes (self-test switched off, server not available, FtpServer deleted). */
  void forget(ResourceID id) {
    Entry entry = entries.remove(id);
    if (entry != null) {
      synchronized (entry) {
        cancel(entry);
      }
    }
  }

  Observation observation(ResourceID id) {
    Entry entry = entries.get(id);
    if (entry == null) {
      return Observation.NONE;
    }
    synchronized (entry) {
      return new Observation(
          entry.latest, entry.lastSuccess, entry.failures, Map.copyOf(entry.pods));
    }
  }

  int tracked() {
    return entries.size();
  }

  @Override
  public void onResourceDeleted(FtpServer ftp) {
    forget(ResourceID.fromResource(ftp));
  }

  @Override
  public Set<ProbeResult> getSecondaryResources(FtpServer primary) {
    return observation(ResourceID.fromResource(primary)).latest().map(Set::of).orElse(Set.of());
  }

  private static void cancel(Entry entry) {
    if (entry.next != null) {
      entry.next.cancel(false);
      entry.next = null;
    }
  }

  private void schedule(ResourceID id, Entry entry, Duration delay) {
    cancel(entry);
    ScheduledThreadPoolExecutor executor = pool;
    if (executor == null || executor.isShutdown()) {
      return;
    }
    entry.next = executor.schedule(() -> run(id, entry), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Duration untilAllowed(Entry entry, Duration gap) {
    Duration wait = Duration.between(clock.instant(), entry.lastStart.plus(gap));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private void run(ResourceID id, Entry entry) {
    ProbeTarget target;
    synchronized (entry) {
      if (entries.get(id) != entry || !entry.serving) {
        return; // forgotten or paused meanwhile
      }
      entry.running = true;
      entry.lastStart = clock.instant();
      target = entry.target;
    }
    ProbeResult result = probe.run(target);
    LOG.debugf("self-test %s: %s", id, result.message());
    results.accept(result);
    synchronized (entry) {
      entry.running = false;
      entry.latest = Optional.of(result);
      result
          .pod()
          .ifPresent(
              pod -> {
                PodObservation before = entry.pods.get(pod);
                Optional<ProbeResult> podSuccess =
                    result.ok()
                        ? Optional.of(result)
                        : before == null ? Optional.empty() : before.lastSuccess();
                entry.pods.put(pod, new PodObservation(result, podSuccess));
              });
      if (result.ok()) {
        entry.failures = 0;
        entry.lastSuccess = Optional.of(result);
      } else {
        entry.failures++;
      }
      if (entries.get(id) != entry || !entry.serving) {
        return;
      }
      // a target changed during the probe is probed once the gap allows; else the cadence
      boolean changed = !entry.target.equals(target);
      schedule(
          id, entry, changed ? untilAllowed(entry, MIN_GAP) : untilAllowed(entry, delay(entry)));
    }
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(id));
    }
  }

  /** The interval, doubled per failure beyond those that turn Ready False, up to maxBackoff. */
  Duration delay(Entry entry) {
    return nextDelay(entry.interval, entry.failures, entry.lastSuccess.isPresent(), settings);
  }

  /**
   * Before the first verified transfer a failure below the Ready threshold is retried after {@link
   * #MIN_GAP}; otherwise {@link #backoff}.
   */
  static Duration nextDelay(
      Duration interval, int failures, boolean everVerified, SelfTestSettings settings) {
    if (!everVerified
        && failures > 0
        && failures < settings.failuresBeforeNotReady()
        && interval.compareTo(MIN_GAP) > 0) {
      return MIN_GAP;
    }
    return backoff(interval, failures, settings);
  }

  static Duration backoff(Duration interval, int failures, SelfTestSettings settings) {
    int beyond = failures - settings.failuresBeforeNotReady() + 1;
    if (beyond <= 0) {
      return interval;
    }
    Duration max = settings.maxBackoff().compareTo(interval) > 0 ? settings.maxBackoff() : interval;
    Duration d = interval.multipliedBy(1L << Math.min(beyond, 20));
    return d.compareTo(max) > 0 ? max : d;
  }
}

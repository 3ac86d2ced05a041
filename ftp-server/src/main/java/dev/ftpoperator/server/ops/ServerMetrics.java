package dev.ftpoperator.server.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** Counters and gauges exposed on /metrics in the Prometheus text format. */
public final class ServerMetrics {

  private final LongAdder loginsOk = new LongAdder();
  private final LongAdder loginsFailed = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder transfersOk = new LongAdder();
  private final LongAdder transfersFailed = new LongAdder();
  private final LongAdder dataConnectionsRejected = new LongAdder();
  private final LongAdder passivePortsExhausted = new LongAdder();
  private final LongAdder sessionsRejected = new LongAdder();
  private final LongAdder bans = new LongAdder();
  private final AtomicLong transfersActive = new AtomicLong();
  private volatile IntSupplier sessionsOpen = () -> 0;
  private volatile int sessionLimit;
  private volatile IntSupplier passivePortsInUse = () -> 0;
  private volatile IntSupplier passivePortsTotal = () -> 0;
  private volatile RelayCounters relay;
  private volatile LongSupplier listingMemoryReserved = () -> 0;
  private volatile LongSupplier listingsRefused = () -> 0;
  private volatile long listingMemoryLimit;

  /**
   * The sessions open now, the most this process holds at once (FTP_MAX_SESSIONS, or lower where
   * the open-file limit cannot hold it), and the passive ports reserved now, of how many.
   */
  public void bindGauges(
      IntSupplier sessions, int sessionLimit, IntSupplier portsInUse, IntSupplier portsTotal) {
    this.sessionsOpen = sessions;
    this.sessionLimit = sessionLimit;
    this.passivePortsInUse = portsInUse;
    this.passivePortsTotal = portsTotal;
  }

  /** The listing memory: what all listings hold now, of how much, and how many it refused. */
  public void bindListingMemory(LongSupplier reserved, long limit, LongSupplier refused) {
    this.listingMemoryReserved = reserved;
    this.listingMemoryLimit = limit;
    this.listingsRefused = refused;
  }

  public void loginSucceeded() {
    loginsOk.increment();
  }

  public void loginFailed() {
    loginsFailed.increment();
  }

  public void received(long bytes) {
    bytesIn.add(bytes);
  }

  public void sent(long bytes) {
    bytesOut.add(bytes);
  }

  public void transferStarted() {
    transfersActive.incrementAndGet();
  }

  public void transferFinished(boolean ok) {
    transfersActive.decrementAndGet();
    (ok ? transfersOk : transfersFailed).increment();
  }

  public long transfersActive() {
    return transfersActive.get();
  }

  public void dataConnectionRejected() {
    dataConnectionsRejected.increment();
  }

  public void passivePortsExhausted() {
    passivePortsExhausted.increment();
  }

  public void sessionRejected() {
    sessionsRejected.increment();
  }

  public void ipBanned() {
    bans.increment();
  }

  /**
   * Turns on the metrics of a replica among several (a lone server shows none of them).
   *
   * @param refusalReasons every label the relay listener may refuse a connection with
   */
  public RelayCounters enableRelay(List<String> refusalReasons) {
    relay = new RelayCounters(refusalReasons);
    return relay;
  }

  /** Data connections of a replica: taken directly, relayed to and from peers, refused. */
  public static final class RelayCounters {
    private static final List<String> FAILURES = List.of("connect", "busy");
    private static final List<String> BAN_REPORTS = List.of("sent", "received", "failed");

    private final LongAdder direct = new LongAdder();
    private final LongAdder relayedOut = new LongAdder();
    private final LongAdder relayedIn = new LongAdder();
    private final LongAdder setupNanos = new LongAdder();
    private final Map<String, LongAdder> failures = labelled(FAILURES);
    private final Map<String, LongAdder> refused;
    private final Map<String, LongAdder> banReports = labelled(BAN_REPORTS);

    private RelayCounters(List<String> refusalReasons) {
      this.refused = labelled(refusalReasons);
    }

    private static Map<String, LongAdder> labelled(List<String> labels) {
      Map<String, LongAdder> map = new LinkedHashMap<>();
      labels.forEach(label -> map.put(label, new LongAdder()));
      return map;
    }

    public void direct() {
      direct.increment();
    }

    /** A connection handed to its owner; {@code nanos} from its arrival to the header sent. */
    public void relayedOut(long nanos) {
      relayedOut.increment();
      setupNanos.add(nanos);
    }

    public void relayedIn() {
      relayedIn.increment();
    }

    /** The owner could not be reached ({@code connect}) or too many relays run ({@code busy}). */
    public void failed(String reason) {
      failures.get(reason).increment();
    }

    public void refused(String reason) {
      refused.get(reason).increment();
    }

    /** {@code sent}, {@code received} or {@code failed}. */
    public void banReport(String result) {
      banReports.get(result).increment();
    }

    private void write(StringBuilder out) {
      counter(
          out,
          "ftp_data_connections_direct_total",
          "Passive data connections that reached the pod owning their port directly",
          direct.sum());
      header(
          out,
          "ftp_relayed_connections_total",
          "Passive data connections relayed between replicas: out = handed to the port's owner, in"
              + " = taken from a peer",
          "counter");
      sample(out, "ftp_relayed_connections_total{direction=\"out\"}", relayedOut.sum());
      sample(out, "ftp_relayed_connections_total{direction=\"in\"}", relayedIn.sum());
      labelledCounter(
          out,
          "ftp_relay_failures_total",
          "Data connections for another replica's port that could not be relayed",
          "reason",
          failures);
      labelledCounter(
          out,
          "ftp_relay_refused_total",
          "Connections to the relay port refused (unauthenticated, replayed, malformed, ...)",
          "reason",
          refused);
      header(
          out,
          "ftp_relay_setup_seconds",
          "Time from a data connection's arrival to its relay header reaching the port's owner",
          "summary");
      out.append("ftp_relay_setup_seconds_sum ")
          .append(String.format(java.util.Locale.ROOT, "%.6f", setupNanos.sum() / 1e9))
          .append('\n');
      sample(out, "ftp_relay_setup_seconds_count", relayedOut.sum());
      labelledCounter(
          out,
          "ftp_cluster_ban_reports_total",
          "Failed-login reports exchanged with the other replicas",
          "result",
          banReports);
    }

    private static void labelledCounter(
        StringBuilder out,
        String family,
        String help,
        String label,
        Map<String, LongAdder> values) {
      header(out, family, help, "counter");
      values.forEach(
          (value, count) -> sample(out, family + "{" + label + "=\"" + value + "\"}", count.sum()));
    }
  }

  public String prometheusText() {
    StringBuilder out = new StringBuilder(2048);
    gauge(out, "ftp_sessions_open", "Control connections currently open", sessionsOpen.getAsInt());
    gauge(
        out,
        "ftp_sessions_limit",
        "Control connections this server holds at once: FTP_MAX_SESSIONS, or fewer where the"
            + " process's open-file limit cannot hold that many",
        sessionLimit);
    counter(
        out,
        "ftp_sessions_rejected_total",
        "Connections refused by session limits or bans",
        sessionsRejected.sum());
    counter(
        out,
        "ftp_logins_total{result=\"ok\"}",
        "Login attempts",
        loginsOk.sum(),
        "ftp_logins_total");
    sample(out, "ftp_logins_total{result=\"failed\"}", loginsFailed.sum());
    counter(
        out, "ftp_ip_bans_total", "Client IPs banned after repeated login failures", bans.sum());
    counter(
        out,
        "ftp_bytes_received_total",
        "Data bytes received from clients (uploads)",
        bytesIn.sum());
    counter(
        out,
        "ftp_bytes_sent_total",
        "Data bytes sent to clients (downloads and listings)",
        bytesOut.sum());
    counter(
        out,
        "ftp_transfers_total{result=\"ok\"}",
        "Data transfers finished",
        transfersOk.sum(),
        "ftp_transfers_total");
    sample(out, "ftp_transfers_total{result=\"failed\"}", transfersFailed.sum());
    gauge(out, "ftp_transfers_active", "Data transfers in progress", transfersActive.get());
    counter(
        out,
        "ftp_data_connections_rejected_total",
        "Passive data connections refused: from another IP than the control connection, or for a port no session waits on",
        dataConnectionsRejected.sum());
    gauge(
        out,
        "ftp_passive_ports_in_use",
        "Passive ports currently reserved",
        passivePortsInUse.getAsInt());
    gauge(
        out,
        "ftp_passive_ports_configured",
        "Passive ports this server offers (a replica: its slice)",
        passivePortsTotal.getAsInt());
    counter(
        out,
        "ftp_passive_ports_exhausted_total",
        "PASV and EPSV answered 425: every passive port was reserved",
        passivePortsExhausted.sum());
    gauge(
        out,
        "ftp_listing_memory_reserved_bytes",
        "Heap the listings in progress hold (LIST, NLST, MLSD, STAT keep their directory while they"
            + " send it)",
        listingMemoryReserved.getAsLong());
    gauge(
        out,
        "ftp_listing_memory_limit_bytes",
        "Heap all listings may hold at once (FTP_LISTING_MEMORY_MB)",
        listingMemoryLimit);
    counter(
        out,
        "ftp_listings_refused_total",
        "Listings refused with 451: their directory needed more listing memory than was free",
        listingsRefused.getAsLong());
    RelayCounters relayCounters = relay;
    if (relayCounters != null) {
      relayCounters.write(out);
    }
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    header(out, name, help, "gauge");
    sample(out, name, value);
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    counter(out, name, help, value, name);
  }

  private static void counter(
      StringBuilder out, String sampleName, String help, long value, String family) {
    header(out, family, help, "counter");
    sample(out, sampleName, value);
  }

  private static void header(StringBuilder out, String family, String help, String type) {
    out.append("# HELP ").append(family).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(family).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, long value) {
    out.append(name).append(' ').append(value).append('\n');
  }
}

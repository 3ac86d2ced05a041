package dev.ftpoperator.server.ops;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Counters and gauges exposed on /metrics in the Prometheus text format. */
public final class ServerMetrics {

  private final LongAdder loginsOk = new LongAdder();
  private final LongAdder loginsFailed = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder transfersOk = new LongAdder();
  private final LongAdder transfersFailed = new LongAdder();
  private final LongAdder dataConnectionsRejected = new LongAdder();
  private final LongAdder sessionsRejected = new LongAdder();
  private final LongAdder bans = new LongAdder();
  private final AtomicLong transfersActive = new AtomicLong();
  private volatile IntSupplier sessionsOpen = () -> 0;
  private volatile IntSupplier passivePortsInUse = () -> 0;
  private volatile IntSupplier passivePortsTotal = () -> 0;

  public void bindGauges(IntSupplier sessions, IntSupplier portsInUse, IntSupplier portsTotal) {
    this.sessionsOpen = sessions;
    this.passivePortsInUse = portsInUse;
    this.passivePortsTotal = portsTotal;
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

  public void sessionRejected() {
    sessionsRejected.increment();
  }

  public void ipBanned() {
    bans.increment();
  }

  public String prometheusText() {
    StringBuilder out = new StringBuilder(2048);
    gauge(out, "ftp_sessions_open", "Control connections currently open", sessionsOpen.getAsInt());
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
        "Passive data connections refused because they came from another IP than the control connection",
        dataConnectionsRejected.sum());
    gauge(
        out,
        "ftp_passive_ports_in_use",
        "Passive ports currently reserved",
        passivePortsInUse.getAsInt());
    gauge(
        out,
        "ftp_passive_ports_configured",
        "Passive ports configured",
        passivePortsTotal.getAsInt());
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

package dev.ftpoperator.server.data;

import dev.ftpoperator.server.ops.ServerMetrics;
import dev.ftpoperator.server.tls.ReloadingTlsConfiguration;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every session's data channels share: the port pool, timeouts, TLS and the places that count
 * transfers.
 */
public record DataChannelSettings(
    PassivePorts ports,
    Duration connectTimeout,
    ReloadingTlsConfiguration tls,
    boolean protectedByDefault,
    boolean tlsSessionReuseRequired,
    ServerMetrics metrics,
    ActiveTransfers transfers,
    ScheduledExecutorService timers) {}

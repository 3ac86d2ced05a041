package dev.ftpoperator.server.data;

import dev.ftpoperator.server.ops.ServerMetrics;
import dev.ftpoperator.server.tls.ReloadingTlsConfiguration;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What every session's data channels share: the port pool, timeouts, TLS, the places that count
 * transfers, and how uploads reach their files (the kernel's splice where it loads, else the direct
 * buffers; the native library is loaded at the first upload or listing, not at the server's start).
 */
public record DataChannelSettings(
    PassivePorts ports,
    Duration connectTimeout,
    ReloadingTlsConfiguration tls,
    boolean protectedByDefault,
    boolean tlsSessionReuseRequired,
    ServerMetrics metrics,
    ActiveTransfers transfers,
    ScheduledExecutorService timers,
    DirectBufferPool uploadBuffers,
    Supplier<Optional<KernelSplice>> uploadSplice) {

  /** Direct buffers kept for uploads, of all sessions together. */
  private static final int KEPT_UPLOAD_BUFFERS = 32;

  public static DirectBufferPool uploadBufferPool() {
    return new DirectBufferPool(StreamingDataConnection.BUFFER_SIZE, KEPT_UPLOAD_BUFFERS);
  }
}

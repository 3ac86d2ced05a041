package dev.ftpoperator.server.cluster;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves bytes both ways between the client's connection and the owner's relay connection, one
 * thread per direction. An end of stream is passed on as a half-close, so FTP's "the sender closes"
 * framing survives; when one direction ended, the other gets {@code linger} to end too. To end a
 * direction early (an error in the other, or the linger is over) both sockets are shut down, which
 * wakes a blocked read, write or splice; they are closed only once both directions have returned,
 * because a splice works on the descriptor's number and must never outlive it.
 */
final class Pipe {

  private final SocketChannel client;
  private final SocketChannel owner;
  private final ChannelCopy copy;
  private final AtomicInteger ended = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();

  private Pipe(SocketChannel client, SocketChannel owner, ChannelCopy copy) {
    this.client = client;
    this.owner = owner;
    this.copy = copy;
  }

  /**
   * Runs the owner-to-client direction on the calling thread and the other on {@code executor};
   * returns when the first has ended. Both channels are closed when both directions have.
   */
  static void run(
      SocketChannel client,
      SocketChannel owner,
      ChannelCopy copy,
      Executor executor,
      ScheduledExecutorService timers,
      Duration linger) {
    Pipe pipe = new Pipe(client, owner, copy);
    executor.execute(() -> pipe.direction(client, owner, timers, linger));
    pipe.direction(owner, client, timers, linger);
  }

  private void direction(
      SocketChannel from, SocketChannel to, ScheduledExecutorService timers, Duration linger) {
    boolean failed = false;
    try {
      copy.copy(from, to);
      to.shutdownOutput();
    } catch (IOException | RuntimeException e) {
      // a reset, or the other direction stopped both
      failed = true;
    }
    if (ended.incrementAndGet() == 2) {
      closeQuietly(client);
      closeQuietly(owner);
    } else if (failed) {
      stop();
    } else {
      timers.schedule(this::stop, linger.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Ends both directions: reads see an end of stream, writes fail. */
  private void stop() {
    if (stopped.compareAndSet(false, true)) {
      shutDownQuietly(client);
      shutDownQuietly(owner);
    }
  }

  private static void shutDownQuietly(SocketChannel channel) {
    try {
      channel.shutdownInput();
    } catch (IOException | RuntimeException e) {
      // already reset or closed: nothing reads it
    }
    try {
      channel.shutdownOutput();
    } catch (IOException | RuntimeException e) {
      // already reset or closed: nothing writes it
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }
}

package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.server.NativeLibrary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay's pipe between real loopback sockets, with each way of copying: the client and the
 * owner are plain sockets, the pipe holds the relaying pod's two ends.
 */
class PipeTest {

  static final Duration LINGER = Duration.ofMillis(300);

  final ExecutorService threads = Executors.newCachedThreadPool();
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    threads.shutdownNow();
    timers.shutdownNow();
  }

  static Stream<ChannelCopy> copies() {
    return Stream.concat(Stream.of(new BufferedChannelCopy(2)), SplicedChannelCopy.load().stream());
  }

  /** The client's and the owner's sockets, joined by a pipe running on the test's threads. */
  final class Joined implements AutoCloseable {
    final java.net.Socket client;
    final java.net.Socket owner;
    final SocketChannel relayClientSide;
    final SocketChannel relayOwnerSide;
    final CompletableFuture<Void> pipe;

    Joined(ChannelCopy copy) throws IOException {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      try (ServerSocketChannel forClient = ServerSocketChannel.open();
          ServerSocketChannel forOwner = ServerSocketChannel.open()) {
        forClient.bind(new InetSocketAddress(loopback, 0));
        forOwner.bind(new InetSocketAddress(loopback, 0));
        client = new java.net.Socket(loopback, forClient.socket().getLocalPort());
        relayClientSide = forClient.accept();
        relayOwnerSide = SocketChannel.open(forOwner.getLocalAddress());
        owner = forOwner.socket().accept();
      }
      pipe =
          CompletableFuture.runAsync(
              () -> Pipe.run(relayClientSide, relayOwnerSide, copy, threads, timers, LINGER),
              threads);
    }

    /** The calling direction returned, and the other closed both channels on its way out. */
    void awaitBothClosed() throws Exception {
      pipe.get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !relayClientSide.isOpen() && !relayOwnerSide.isOpen());
    }

    @Override
    public void close() throws IOException {
      client.close();
      owner.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("copies")
  void bytesCrossBothWaysAndEachEndOfStreamIsPassedOnAsAHalfClose(ChannelCopy copy)
      throws Exception {
    byte[] download = new byte[5 * 1024 * 1024 + 3];
    byte[] upload = new byte[2 * 1024 * 1024 + 11];
    new Random(3).nextBytes(download);
    new Random(4).nextBytes(upload);
    try (Joined joined = new Joined(copy)) {
      CompletableFuture<byte[]> clientGot = readAllAsync(joined.client.getInputStream());
      CompletableFuture<byte[]> ownerGot = readAllAsync(joined.owner.getInputStream());
      writeAndHalfClose(joined.owner, download);
      writeAndHalfClose(joined.client, upload);
      assertThat(clientGot.get(10, TimeUnit.SECONDS)).isEqualTo(download);
      assertThat(ownerGot.get(10, TimeUnit.SECONDS)).isEqualTo(upload);
      joined.awaitBothClosed();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("copies")
  void aDirectionThatStaysOpenAfterTheOtherEndedIsCutAfterTheLinger(ChannelCopy copy)
      throws Exception {
    try (Joined joined = new Joined(copy)) {
      CompletableFuture<byte[]> clientGot = readAllAsync(joined.client.getInputStream());
      writeAndHalfClose(joined.owner, new byte[] {1, 2, 3});
      assertThat(clientGot.get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
      // the client never half-closes: the pipe's thread is blocked reading it until the linger
      long start = System.nanoTime();
      assertThat(joined.owner.getInputStream().read())
          .as("end of stream at the owner")
          .isEqualTo(-1);
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(waitedMillis).isBetween(LINGER.toMillis() - 100, LINGER.toMillis() + 5_000);
      joined.awaitBothClosed();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("copies")
  void aResetOnOneSideEndsTheOtherAtOnce(ChannelCopy copy) throws Exception {
    try (Joined joined = new Joined(copy)) {
      joined.owner.getOutputStream().write(new byte[64 * 1024]);
      joined.client.setSoLinger(true, 0);
      joined.client.close(); // a reset
      InputStream fromPipe = joined.owner.getInputStream();
      long start = System.nanoTime();
      try {
        while (fromPipe.read() != -1) {
          // the client sent nothing: the first read ends
        }
      } catch (IOException reset) {
        // also an end
      }
      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("ended without waiting for the linger")
          .isLessThan(LINGER.toMillis());
      joined.awaitBothClosed();
    }
  }

  @Test
  void theSpliceLibraryIsInTheJarAndLoadsOnLinux() {
    assumeThat(System.getProperty("os.name").toLowerCase(Locale.ROOT)).isEqualTo("linux");
    assertThat(SplicedChannelCopy.load())
        .as("the build puts %s on the class path", NativeLibrary.RESOURCE)
        .isPresent();
  }

  CompletableFuture<byte[]> readAllAsync(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream all = new ByteArrayOutputStream();
          try {
            in.transferTo(all);
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
          return all.toByteArray();
        },
        threads);
  }

  static void writeAndHalfClose(java.net.Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
    socket.shutdownOutput();
  }
}

package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads by splice(2): what arrives on the socket lands in the file where the file stands. */
class KernelSpliceTest {

  @TempDir Path dir;

  private final KernelSplice splice =
      KernelSplice.load().orElseThrow(() -> new AssertionError("the build puts the library in"));

  @Test
  void aStreamLandsInTheFileFromItsPositionAndEveryPieceIsReported() throws Exception {
    byte[] sent = new byte[5 * KernelSplice.PIPE_BYTES + 12345];
    new Random(3).nextBytes(sent);
    Path file = dir.resolve("upload.bin");
    byte[] kept = new byte[100];
    Arrays.fill(kept, (byte) 'a');
    Files.write(file, kept);
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      // a resumed upload (REST 50): the file cut there, written from there on
      raf.setLength(50);
      raf.seek(50);
      CompletableFuture<Void> client = clientSending(listener, sent);
      AtomicLong reported = new AtomicLong();
      long moved;
      try (SocketChannel in = listener.accept();
          FileOutputStream target = new FileOutputStream(raf.getFD())) {
        moved = splice.toFile(in, target.getChannel(), reported::addAndGet);
      }
      client.get(10, TimeUnit.SECONDS);
      assertThat(moved).isEqualTo(sent.length);
      assertThat(reported.get()).isEqualTo(sent.length);
      byte[] expected = new byte[50 + sent.length];
      Arrays.fill(expected, 0, 50, (byte) 'a');
      System.arraycopy(sent, 0, expected, 50, sent.length);
      assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }
  }

  @Test
  void aShutdownOfTheSocketEndsASpliceThatWaitsForData() throws Exception {
    Path file = dir.resolve("silent.bin");
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel silent = SocketChannel.open(listener.getLocalAddress());
          SocketChannel in = listener.accept();
          FileOutputStream target = new FileOutputStream(file.toFile())) {
        CompletableFuture<Long> upload = uploadWaitingForData(in, target);
        assertThat(upload).as("waits while the client sends nothing").isNotDone();
        // what the stall watchdog does
        in.shutdownInput();
        assertThat(upload.get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)).isZero();
      }
    }
  }

  @Test
  void aCloseByAnotherThreadNeverLeavesTheUploadReadingAReusedDescriptor() throws Exception {
    Path file = dir.resolve("upload.bin");
    Path other = dir.resolve("other.bin");
    Files.writeString(other, "not the client's");
    List<FileChannel> reusing = new ArrayList<>();
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
          SocketChannel in = listener.accept();
          FileOutputStream target = new FileOutputStream(file.toFile())) {
        CompletableFuture<Long> upload = uploadWaitingForData(in, target);
        in.close();
        // the socket's descriptor number is free now: the next files opened take it
        for (int i = 0; i < 16; i++) {
          reusing.add(FileChannel.open(other));
        }
        client.write(ByteBuffer.wrap("the client's".getBytes(StandardCharsets.US_ASCII)));
        client.close();
        assertThat(upload.get(5, TimeUnit.SECONDS)).isEqualTo(12);
        assertThat(Files.readString(file)).isEqualTo("the client's");
      } finally {
        for (FileChannel channel : reusing) {
          channel.close();
        }
      }
    }
  }

  @Test
  void aFileThatRefusesSpliceGetsTheBytesByReadAndWrite() throws Exception {
    byte[] sent = new byte[3 * KernelSplice.PIPE_BYTES + 777];
    new Random(5).nextBytes(sent);
    Path file = dir.resolve("appended.bin");
    Files.writeString(file, "kept");
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CompletableFuture<Void> client = clientSending(listener, sent);
      AtomicLong reported = new AtomicLong();
      long moved;
      // O_APPEND: splice(2) answers EINVAL for such a file
      try (SocketChannel in = listener.accept();
          FileOutputStream target = new FileOutputStream(file.toFile(), true)) {
        moved = splice.toFile(in, target.getChannel(), reported::addAndGet);
      }
      client.get(10, TimeUnit.SECONDS);
      assertThat(moved).isEqualTo(sent.length);
      assertThat(reported.get()).isEqualTo(sent.length);
      byte[] expected = new byte[4 + sent.length];
      System.arraycopy("kept".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 4);
      System.arraycopy(sent, 0, expected, 4, sent.length);
      assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }
  }

  /** A client that connects to the listener, sends the bytes and closes. */
  private static CompletableFuture<Void> clientSending(ServerSocketChannel listener, byte[] bytes) {
    return CompletableFuture.runAsync(
        () -> {
          try (SocketChannel out = SocketChannel.open(listener.getLocalAddress())) {
            ByteBuffer data = ByteBuffer.wrap(bytes);
            while (data.hasRemaining()) {
              out.write(data);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** An upload from the socket into the file, started on another thread and waiting there. */
  private CompletableFuture<Long> uploadWaitingForData(SocketChannel in, FileOutputStream target)
      throws InterruptedException {
    CompletableFuture<Long> upload =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return splice.toFile(in, target.getChannel(), moved -> {});
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    return upload;
  }
}

package dev.ftpoperator.server.data;

import dev.ftpoperator.server.NativeLibrary;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's splice(2) through a pipe (src/main/c/channel_splice.c, in the {@link
 * NativeLibrary}), out of a socket's receive queue into another socket (a relayed data connection)
 * or into a file (an upload): the bytes never pass through user space. An upload then costs one
 * copy (into the page cache) instead of two.
 */
public final class KernelSplice {

  private static final Logger LOG = LoggerFactory.getLogger(KernelSplice.class);

  /** The pipe between the ends: Linux's default limit for an unprivileged process. */
  public static final int PIPE_BYTES = 1 << 20;

  private KernelSplice() {}

  /** Checked once per process, when first asked for. */
  private static final class Loaded {
    static final Optional<KernelSplice> SPLICE = loadLibrary();
  }

  /**
   * The splice calls, or empty when the {@link NativeLibrary} is not loaded or cannot read
   * channels.
   */
  public static Optional<KernelSplice> load() {
    return Loaded.SPLICE;
  }

  private static Optional<KernelSplice> loadLibrary() {
    if (!NativeLibrary.loaded()) {
      return Optional.empty();
    }
    try (SocketChannel socket = SocketChannel.open();
        FileChannel channel = FileChannel.open(Path.of("/dev/null"))) {
      if (descriptor(socket) < 0 || fileDescriptor(channel) < 0) {
        LOG.warn("the native library cannot read a channel's descriptor: no splice");
        return Optional.empty();
      }
      return Optional.of(new KernelSplice());
    } catch (IOException | LinkageError e) {
      LOG.warn("no splice: {}", e.toString());
      return Optional.empty();
    }
  }

  /**
   * Moves bytes from {@code from} to {@code to} until {@code from}'s end of stream; returns how
   * many. Both are blocking; a shutdown of either by another thread ends it.
   */
  public long copy(SocketChannel from, SocketChannel to) throws IOException {
    return splice(from, to, PIPE_BYTES);
  }

  /**
   * Moves bytes from the blocking socket into the file at the file's position until the socket's
   * end of stream, telling {@code moved} of every piece (at most {@link #PIPE_BYTES}); returns how
   * many. It works on duplicates of both descriptors: a shutdown of the socket by another thread
   * ends it, a close alone does not. A file that refuses splice (one open for appending, or on a
   * file system without it) gets the bytes by read and write instead.
   */
  public long toFile(SocketChannel from, FileChannel to, LongConsumer moved) throws IOException {
    if (!from.isOpen() || !to.isOpen()) {
      throw new ClosedChannelException();
    }
    long upload = openUpload(from, to, PIPE_BYTES);
    try {
      long total = 0;
      long piece;
      while ((piece = spliceToFile(upload, PIPE_BYTES)) > 0) {
        total += piece;
        moved.accept(piece);
      }
      return total;
    } finally {
      closeUpload(upload);
    }
  }

  @Override
  public String toString() {
    return "kernel splice";
  }

  /** The socket channel's file descriptor, -1 when this JDK's channel has none to read. */
  private static native int descriptor(SocketChannel channel);

  /** The file channel's file descriptor, -1 when this JDK's channel has none to read. */
  private static native int fileDescriptor(FileChannel channel);

  private static native long splice(SocketChannel from, SocketChannel to, int pipeBytes)
      throws IOException;

  /** Duplicates of both descriptors and a pipe of about {@code pipeBytes}, as a handle. */
  private static native long openUpload(SocketChannel from, FileChannel to, int pipeBytes)
      throws IOException;

  private static native void closeUpload(long upload);

  /** One piece of at most {@code max} bytes, socket to pipe to file; 0 at end of stream. */
  private static native long spliceToFile(long upload, int max) throws IOException;
}

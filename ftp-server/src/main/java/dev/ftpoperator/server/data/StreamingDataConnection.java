package dev.ftpoperator.server.data;

import dev.ftpoperator.server.ops.ServerMetrics;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.FtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the bytes of one transfer. Binary transfers of plain files over plain sockets stay out of
 * the Java heap (sendfile down; up, splice where its library loads, else a direct buffer);
 * everything else copies through a large buffer. ASCII mode converts line ends (CRLF on the wire).
 */
final class StreamingDataConnection implements DataConnection {

  private static final Logger LOG = LoggerFactory.getLogger(StreamingDataConnection.class);

  /** Of the heap buffers of a converting copy and of the pooled direct buffers of an upload. */
  static final int BUFFER_SIZE = 256 * 1024;

  /**
   * Bytes asked of one sendfile call (it returns early once the socket's buffer is full): of 64 KiB
   * to 8 MiB, 256 KiB ran fastest on loopback.
   */
  private static final long SENDFILE_CHUNK = 256 * 1024;

  /** How long a download waits for room in the socket before it looks whether it was closed. */
  private static final long SEND_WAIT_MILLIS = 1000;

  private final Socket socket;
  private final ServerMetrics metrics;
  private final ActiveTransfers transfers;
  private final SessionActivity sessionActivity;
  private final DirectBufferPool uploadBuffers;
  private final Supplier<Optional<KernelSplice>> uploadSplice;

  StreamingDataConnection(
      Socket socket,
      ServerMetrics metrics,
      ActiveTransfers transfers,
      SessionActivity sessionActivity,
      DirectBufferPool uploadBuffers,
      Supplier<Optional<KernelSplice>> uploadSplice) {
    this.socket = socket;
    this.metrics = metrics;
    this.transfers = transfers;
    this.sessionActivity = sessionActivity;
    this.uploadBuffers = uploadBuffers;
    this.uploadSplice = uploadSplice;
  }

  @Override
  public long transferFromClient(FtpSession session, OutputStream out) throws IOException {
    SocketChannel channel = socket instanceof SSLSocket ? null : socket.getChannel();
    if (session.getDataType() != DataType.ASCII
        && channel != null
        && out instanceof FileOutputStream file) {
      FileChannel target = file.getChannel();
      Optional<KernelSplice> splice = uploadSplice.get();
      return track(
          transfer ->
              splice.isPresent()
                  ? spliceFile(splice.get(), channel, target, transfer)
                  : receiveFile(channel, target, transfer));
    }
    LineEnds lineEnds =
        session.getDataType() == DataType.ASCII ? LineEnds.fromNetwork() : LineEnds.none();
    return track(
        transfer ->
            copy(socket.getInputStream(), out, lineEnds, transfer, metrics::received, false));
  }

  @Override
  public long transferToClient(FtpSession session, InputStream in) throws IOException {
    boolean ascii = session.getDataType() == DataType.ASCII;
    // a layered SSLSocket reports the plain channel underneath: never sendfile around TLS
    SocketChannel channel = socket instanceof SSLSocket ? null : socket.getChannel();
    if (!ascii && channel != null && in instanceof FileInputStream file) {
      return track(transfer -> sendFile(file.getChannel(), channel, transfer));
    }
    LineEnds lineEnds = ascii ? LineEnds.toNetwork() : LineEnds.none();
    return track(
        transfer -> copy(in, socket.getOutputStream(), lineEnds, transfer, metrics::sent, true));
  }

  /**
   * Copies until end of stream, converting line ends when asked. Counts wire bytes: after
   * conversion when sending, before it when receiving. Returns the bytes read.
   */
  private static long copy(
      InputStream in,
      OutputStream out,
      LineEnds lineEnds,
      ActiveTransfers.Transfer transfer,
      LongConsumer countWireBytes,
      boolean sending)
      throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    byte[] converted = lineEnds == null ? null : new byte[BUFFER_SIZE * 2];
    long total = 0;
    int read;
    while ((read = in.read(buffer)) != -1) {
      int length = read;
      if (lineEnds == null) {
        out.write(buffer, 0, read);
      } else {
        length = lineEnds.convert(buffer, read, converted);
        out.write(converted, 0, length);
      }
      countWireBytes.accept(sending ? length : read);
      total += read;
      transfer.progressed();
    }
    out.flush();
    return total;
  }

  /**
   * Socket to file by the kernel's splice: one copy (into the page cache) where a read and a write
   * make two. On loopback it moved an upload at twice the rate for half the CPU per GiB (the
   * figures: ftp-server README, "Tests and benchmark").
   */
  private long spliceFile(
      KernelSplice splice,
      SocketChannel channel,
      FileChannel file,
      ActiveTransfers.Transfer transfer)
      throws IOException {
    return splice.toFile(
        channel,
        file,
        moved -> {
          metrics.received(moved);
          transfer.progressed();
        });
  }

  /** Socket to file through a direct buffer: no copies through the Java heap. */
  private long receiveFile(
      SocketChannel channel, FileChannel file, ActiveTransfers.Transfer transfer)
      throws IOException {
    ByteBuffer buffer = uploadBuffers.take();
    try {
      long total = 0;
      int read;
      while ((read = channel.read(buffer)) != -1) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          file.write(buffer);
        }
        buffer.clear();
        total += read;
        metrics.received(read);
        transfer.progressed();
      }
      return total;
    } finally {
      uploadBuffers.give(buffer);
    }
  }

  /**
   * sendfile on a non-blocking socket in calls of {@link #SENDFILE_CHUNK}, waiting in a selector
   * for room between them: blocking calls, or calls of 8 MiB, cost the sending thread's kernel
   * nearly twice the CPU per GiB, which is what bounds a download on loopback (the figures:
   * ftp-server README, "Tests and benchmark", and bench/sendfile_modes.py).
   */
  private long sendFile(FileChannel file, SocketChannel channel, ActiveTransfers.Transfer transfer)
      throws IOException {
    long position = file.position();
    long end = file.size();
    long total = 0;
    Selector writable = null;
    channel.configureBlocking(false);
    try {
      while (position < end) {
        long sent = file.transferTo(position, Math.min(SENDFILE_CHUNK, end - position), channel);
        if (sent > 0) {
          position += sent;
          total += sent;
          metrics.sent(sent);
          transfer.progressed();
        } else if (position >= file.size()) {
          break; // truncated meanwhile
        } else {
          if (writable == null) {
            writable = Selector.open();
            channel.register(writable, SelectionKey.OP_WRITE);
          }
          // a shutdown (the stall watchdog) or the peer's close wakes it; a plain close does not
          writable.select(SEND_WAIT_MILLIS);
          if (!channel.isOpen()) {
            throw new AsynchronousCloseException();
          }
        }
      }
      return total;
    } finally {
      if (writable != null) {
        writable.close(); // deregisters the channel, which may then block again
      }
      if (channel.isOpen()) {
        channel.configureBlocking(true);
      }
    }
  }

  @Override
  public void transferToClient(FtpSession session, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    track(
        transfer -> {
          OutputStream out = socket.getOutputStream();
          out.write(bytes);
          out.flush();
          metrics.sent(bytes.length);
          return (long) bytes.length;
        });
  }

  private interface Copy {
    long run(ActiveTransfers.Transfer transfer) throws IOException;
  }

  private long track(Copy copy) throws IOException {
    metrics.transferStarted();
    sessionActivity.transferring(true);
    boolean ok = false;
    try (ActiveTransfers.Transfer transfer = transfers.start(socket)) {
      long moved = copy.run(transfer);
      if (transfer.aborted()) {
        throw new IOException("transfer stalled and was aborted");
      }
      ok = true;
      return moved;
    } catch (IOException e) {
      LOG.info("data transfer aborted: {}", e.toString());
      throw e;
    } finally {
      metrics.transferFinished(ok);
      sessionActivity.transferring(false);
    }
  }
}

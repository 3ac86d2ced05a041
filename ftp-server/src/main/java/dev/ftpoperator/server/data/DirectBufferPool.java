package dev.ftpoperator.server.data;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Direct buffers of one size for copying between channels, kept for the next copy up to a bound: a
 * fresh direct buffer per transfer costs an allocation outside the heap and its zeroing, and a heap
 * buffer costs the JDK a copy into a temporary direct one at every read and write.
 */
public final class DirectBufferPool {

  private final int bufferBytes;
  private final int maxKept;
  private final Queue<ByteBuffer> free = new ConcurrentLinkedQueue<>();

  public DirectBufferPool(int bufferBytes, int maxKept) {
    this.bufferBytes = bufferBytes;
    this.maxKept = maxKept;
  }

  /** A cleared buffer of {@code bufferBytes}; give it back when the copy is done. */
  public ByteBuffer take() {
    ByteBuffer buffer = free.poll();
    return buffer != null ? buffer : ByteBuffer.allocateDirect(bufferBytes);
  }

  public void give(ByteBuffer buffer) {
    buffer.clear();
    // size() walks the queue: cheap for the few buffers it may hold
    if (free.size() < maxKept) {
      free.offer(buffer);
    }
  }
}

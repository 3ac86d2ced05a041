package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.data.KernelSplice;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * A relay's copy by the kernel's splice(2): the bytes move between the two sockets' queues as page
 * references and never pass through user space. make bench-relay: the relaying pod's CPU per GiB
 * falls from about 0.6 s (the buffered copy) to about 0.3 s.
 */
final class SplicedChannelCopy implements ChannelCopy {

  private final KernelSplice splice;

  private SplicedChannelCopy(KernelSplice splice) {
    this.splice = splice;
  }

  /** The splice copy, or empty when this platform's native library cannot load. */
  static Optional<ChannelCopy> load() {
    return KernelSplice.load().map(SplicedChannelCopy::new);
  }

  @Override
  public void copy(SocketChannel from, SocketChannel to) throws IOException {
    splice.copy(from, to);
  }

  @Override
  public String toString() {
    return splice.toString();
  }
}

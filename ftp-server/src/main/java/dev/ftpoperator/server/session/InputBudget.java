package dev.ftpoperator.server.session;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * Bounds the input MINA has read for a session but its worker has not yet taken: MINA's executor
 * queue has no limit, so a client flooding the control connection while its command runs (a
 * transfer, a rate-limit wait) would grow it without end. Over the limit the session stops reading
 * (TCP pushes back on the client); it reads again when its worker has caught up to half.
 */
final class InputBudget {

  private final long limit;
  private long queued; // guarded by this
  private boolean paused; // guarded by this

  InputBudget(int limit) {
    this.limit = limit;
  }

  /** Before MINA's executor, on the I/O thread. */
  IoFilterAdapter arriving() {
    return new IoFilterAdapter() {
      @Override
      public void messageReceived(NextFilter next, IoSession session, Object message) {
        if (message instanceof IoBuffer buffer) {
          count(session, buffer.remaining());
        }
        next.messageReceived(session, message);
      }
    };
  }

  /** After MINA's executor, on the session's worker. */
  IoFilterAdapter taken() {
    return new IoFilterAdapter() {
      @Override
      public void messageReceived(NextFilter next, IoSession session, Object message) {
        if (message instanceof IoBuffer buffer) {
          count(session, -buffer.remaining());
        }
        next.messageReceived(session, message);
      }
    };
  }

  /** One lock for both sides, so that a pause and the catch-up that ends it cannot cross. */
  private synchronized void count(IoSession session, int bytes) {
    queued += bytes;
    if (!paused && queued > limit) {
      paused = true;
      session.suspendRead();
    } else if (paused && queued <= limit / 2) {
      paused = false;
      session.resumeRead();
    }
  }
}

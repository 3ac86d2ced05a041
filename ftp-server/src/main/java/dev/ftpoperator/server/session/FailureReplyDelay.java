package dev.ftpoperator.server.session;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;

/**
 * Delays "530 not logged in" replies on a timer instead of MINA's Thread.sleep on a worker thread, so a brute-force
 * client slows itself down without tying up the server's threads. Replies written while one is delayed queue behind
 * it, keeping their order. Also records command activity for the idle timeout.
 */
final class FailureReplyDelay extends IoFilterAdapter {

    private final TrackedSession tracked;
    private final long delayNanos;
    private final ScheduledExecutorService timers;
    private long releaseAtNanos;

    FailureReplyDelay(TrackedSession tracked, Duration delay, ScheduledExecutorService timers) {
        this.tracked = tracked;
        this.delayNanos = delay.toNanos();
        this.timers = timers;
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        tracked.touch();
        next.messageReceived(session, message);
    }

    @Override
    public synchronized void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
        long now = System.nanoTime();
        boolean loginRefused = request.getMessage() instanceof FtpReply reply
                && reply.getCode() == FtpReply.REPLY_530_NOT_LOGGED_IN;
        if (loginRefused && delayNanos > 0) {
            releaseAtNanos = Math.max(releaseAtNanos, now) + delayNanos;
        }
        long wait = releaseAtNanos - now;
        if (wait <= 0) {
            next.filterWrite(session, request);
            return;
        }
        timers.schedule(() -> {
            next.filterWrite(session, request);
            if (loginRefused && tracked.shouldCloseAfterReply()) {
                session.closeOnFlush();
            }
        }, wait, TimeUnit.NANOSECONDS);
    }
}

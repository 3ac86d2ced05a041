package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.listener.nio.FtpResponseEncoder;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoSessionConfig;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.ssl.SslFilter;
import org.junit.jupiter.api.Test;

/**
 * Which events of a session run on the thread that delivers them (MINA's I/O thread) and which go
 * to the worker, with the session's real decoder and command screen behind the dispatch. The worker
 * here runs nothing until the test says so, so "queued behind" is observable.
 */
class CommandDispatchTest {

  private static final String IO_THREAD = "io";

  /** Runs queued events only when told, on a thread named "worker". */
  private static final class ManualWorker implements Executor {
    final Queue<Runnable> queued = new ArrayDeque<>();

    @Override
    public void execute(Runnable event) {
      queued.add(event);
    }

    void runAll() throws InterruptedException {
      Thread worker =
          new Thread(
              () -> {
                while (!queued.isEmpty()) {
                  queued.poll().run();
                }
              },
              "worker");
      worker.start();
      worker.join();
    }
  }

  private record Seen(String thread, String event) {}

  private final ManualWorker worker = new ManualWorker();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private DummySession session(String refusal, int commandBurst) throws Exception {
    return session(refusal, commandBurst, CommandDispatch.ioThreadCommands(false));
  }

  private DummySession session(String refusal, int commandBurst, Set<String> ioThreadCommands)
      throws Exception {
    DummySession session = new DummySession();
    // like TCP: a line may arrive in pieces, which the decoder keeps until its end
    session.setTransportMetadata(
        new DefaultTransportMetadata(
            "mina",
            "dummy",
            false,
            true,
            SocketAddress.class,
            IoSessionConfig.class,
            Object.class));
    TrackedSession tracked = new TrackedSession(session, InetAddress.getLoopbackAddress(), refusal);
    CommandScreen screen =
        new CommandScreen(
            tracked, new ControlLimits(5, 1, commandBurst, 4096, 65536), name -> true);
    session
        .getFilterChain()
        .addLast("dispatch", new CommandDispatch(worker, ioThreadCommands, tracked, screen));
    session
        .getFilterChain()
        .addLast(
            "codec",
            new ProtocolCodecFilter(new FtpResponseEncoder(), new CommandLineDecoder(4096)));
    session.getFilterChain().addLast("screen", screen);
    session
        .getFilterChain()
        .addLast(
            "recorder",
            new IoFilterAdapter() {
              @Override
              public void messageReceived(NextFilter next, IoSession s, Object message) {
                seen.add(new Seen(Thread.currentThread().getName(), String.valueOf(message)));
              }

              @Override
              public void sessionOpened(NextFilter next, IoSession s) {
                seen.add(new Seen(Thread.currentThread().getName(), "opened"));
              }
            });
    return session;
  }

  private static void receive(DummySession session, String bytes) throws InterruptedException {
    Thread io =
        new Thread(
            () ->
                session
                    .getFilterChain()
                    .fireMessageReceived(
                        IoBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1))),
            IO_THREAD);
    io.start();
    io.join();
  }

  @Test
  void oneLineOfACommandThatOnlyTouchesMemoryRunsOnTheIoThread() throws Exception {
    DummySession session = session(null, 100);
    for (String line : new String[] {"USER alice", "type I", "NOOP", "PWD", "FEAT", "QUIT"}) {
      receive(session, line + "\r\n");
    }
    receive(session, "SYST\n");
    assertThat(worker.queued).isEmpty();
    assertThat(seen).extracting(Seen::thread).hasSize(7).allMatch(IO_THREAD::equals);
  }

  @Test
  void commandsThatMayBlockGoToTheWorker() throws Exception {
    for (String line :
        new String[] {"PASS secret", "CWD /", "PASV", "LIST", "RETR f", "AUTH TLS"}) {
      DummySession session = session(null, 100);
      receive(session, line + "\r\n");
      assertThat(seen).as(line).isEmpty();
      assertThat(worker.queued).as(line).hasSize(1);
      worker.runAll();
      assertThat(seen).as(line).containsExactly(new Seen("worker", line));
      seen.clear();
    }
  }

  @Test
  void epsvRunsOnTheIoThreadAndPasvToWhenItsAddressNeedsNoLookup() throws Exception {
    DummySession withLookup = session(null, 100);
    receive(withLookup, "EPSV\r\n");
    receive(withLookup, "NOOP\r\n");
    assertThat(worker.queued).isEmpty();
    receive(withLookup, "PASV\r\n");
    assertThat(worker.queued).as("PASV may resolve a name").hasSize(1);
    worker.runAll();
    seen.clear();
    DummySession literal = session(null, 100, CommandDispatch.ioThreadCommands(true));
    receive(literal, "PASV\r\n");
    receive(literal, "EPSV\r\n");
    assertThat(worker.queued).isEmpty();
    assertThat(seen).extracting(Seen::thread).containsExactly(IO_THREAD, IO_THREAD);
  }

  @Test
  void aCommandBehindOneStillOnTheWorkerQueuesBehindIt() throws Exception {
    DummySession session = session(null, 100);
    receive(session, "PASS secret\r\n");
    receive(session, "NOOP\r\n");
    assertThat(seen).isEmpty();
    worker.runAll();
    assertThat(seen).containsExactly(new Seen("worker", "PASS secret"), new Seen("worker", "NOOP"));
    // the worker is done: the next one runs at once again
    receive(session, "NOOP\r\n");
    assertThat(seen).last().isEqualTo(new Seen(IO_THREAD, "NOOP"));
  }

  @Test
  void partialLinesAndSeveralLinesAtOnceGoToTheWorker() throws Exception {
    DummySession session = session(null, 100);
    receive(session, "NO");
    receive(session, "OP\r\n");
    receive(session, "NOOP\r\nNOOP\r\n");
    receive(session, "NOOP " + "x".repeat(100) + "\r\n");
    worker.runAll();
    assertThat(seen).extracting(Seen::thread).hasSize(4).allMatch("worker"::equals);
  }

  @Test
  void aCommandOverTheSessionsRateWaitsOnTheWorkerNotTheIoThread() throws Exception {
    DummySession session = session(null, 1);
    receive(session, "NOOP\r\n");
    receive(session, "NOOP\r\n");
    assertThat(seen).containsExactly(new Seen(IO_THREAD, "NOOP"));
    assertThat(worker.queued).hasSize(1);
  }

  @Test
  void aCommandSentAfterTheReplyToTheOneBeforeNeedsNoShareOfTheRate() throws Exception {
    DummySession session = session(null, 1);
    receive(session, "NOOP\r\n");
    session.write(new DefaultFtpReply(200, "ok"));
    receive(session, "NOOP\r\n");
    session.write(new DefaultFtpReply(200, "ok"));
    receive(session, "NOOP\r\n");
    assertThat(seen)
        .containsExactly(
            new Seen(IO_THREAD, "NOOP"), new Seen(IO_THREAD, "NOOP"), new Seen(IO_THREAD, "NOOP"));
    assertThat(worker.queued).isEmpty();
  }

  @Test
  void ofSeveralLinesAtOnceOnlyTheFirstCanHaveWaitedForAReply() throws Exception {
    DummySession session = session(null, 2);
    receive(session, "NOOP\r\n");
    session.write(new DefaultFtpReply(200, "ok"));
    // the first line waited for that reply, the second takes the burst's last token, the third
    // waits for the rate (1 per second)
    receive(session, "NOOP\r\nNOOP\r\nNOOP\r\n");
    Thread worker = new Thread(() -> this.worker.queued.poll().run(), "worker");
    worker.start();
    worker.join(300);
    assertThat(worker.isAlive()).as("the third NOOP waits for the rate").isTrue();
    assertThat(seen).hasSize(3);
    worker.join();
    assertThat(seen).hasSize(4);
  }

  @Test
  void onlyTheGreetingOfASessionThatIsNotRefusedRunsOnTheIoThread() throws Exception {
    DummySession accepted = session(null, 100);
    accepted.getFilterChain().fireSessionOpened();
    assertThat(seen).containsExactly(new Seen(Thread.currentThread().getName(), "opened"));

    DummySession refused = session("Too many connections", 100);
    refused.getFilterChain().fireSessionOpened();
    assertThat(worker.queued).hasSize(1);
  }

  @Test
  void tlsSessionsAlwaysUseTheWorker() throws Exception {
    DummySession session = session(null, 100);
    // installed only: its handshake needs a real socket
    session
        .getFilterChain()
        .addFirst(
            "sslFilter",
            new SslFilter(SSLContext.getDefault()) {
              @Override
              public void onPostAdd(IoFilterChain parent, String name, NextFilter next) {}
            });
    session.getFilterChain().fireSessionOpened();
    assertThat(seen).isEmpty();
    assertThat(worker.queued).hasSize(1);
  }
}

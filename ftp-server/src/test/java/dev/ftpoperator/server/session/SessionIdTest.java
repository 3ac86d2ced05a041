package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.data.DataChannelSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.apache.ftpserver.listener.nio.FtpResponseEncoder;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.junit.jupiter.api.Test;

/** A control session's id is MINA's session number under the server's own prefix, drawn once. */
class SessionIdTest {

  private final ControlSessions sessions =
      new ControlSessions(
          10,
          10,
          new DataChannelSettings(
              null,
              Duration.ofSeconds(1),
              null,
              false,
              false,
              null,
              null,
              null,
              null,
              Optional::empty),
          Duration.ZERO,
          new ControlLimits(5, 100, 100, 4096, 65536),
          name -> true,
          ip -> false,
          true);

  @Test
  void eachSessionIdCarriesItsSessionNumberUnderOnePrefix() {
    DummySession first = accepted();
    DummySession second = accepted();

    UUID firstId = (UUID) first.getAttribute(ControlSessions.MINA_SESSION_ID);
    UUID secondId = (UUID) second.getAttribute(ControlSessions.MINA_SESSION_ID);
    assertThat(firstId.getLeastSignificantBits()).isEqualTo(first.getId());
    assertThat(secondId.getLeastSignificantBits()).isEqualTo(second.getId());
    assertThat(firstId.getMostSignificantBits()).isEqualTo(secondId.getMostSignificantBits());
    assertThat(firstId).isNotEqualTo(secondId);
  }

  /** A session with the two filters of MINA's chain that accept replaces. */
  private DummySession accepted() {
    DummySession session = new DummySession();
    session.setRemoteAddress(new InetSocketAddress("127.0.0.1", 40000));
    session.getFilterChain().addLast("threadPool", new ExecutorFilter(Runnable::run));
    session
        .getFilterChain()
        .addLast(
            "codec",
            new ProtocolCodecFilter(new FtpResponseEncoder(), new CommandLineDecoder(512)));
    assertThat(sessions.accept(session)).isTrue();
    return session;
  }
}

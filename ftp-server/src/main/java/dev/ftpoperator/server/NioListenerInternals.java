package dev.ftpoperator.server;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import org.apache.ftpserver.listener.Listener;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.SocketAcceptor;

/**
 * Four things MINA's NioListener does not expose, reached through its private acceptor: the listen
 * backlog, its logging filters, unbinding without closing the open sessions (SIGTERM drain), and
 * swapping the implicit-FTPS TLS filter after a certificate reload (the filter is built once at
 * start; explicit FTPS builds one per AUTH and needs no swap).
 */
final class NioListenerInternals {

  /** The name NioListener gives its implicit TLS filter. */
  private static final String IMPLICIT_TLS_FILTER = "sslFilter";

  /** The names NioListener gives the filters that fill the logging MDC around every event. */
  private static final String[] LOGGING_CONTEXT_FILTERS = {"mdcFilter", "mdcFilter2"};

  /** The name NioListener gives its filter that logs every command, reply and session event. */
  private static final String COMMAND_LOG_FILTER = "logger";

  private final IoAcceptor acceptor;

  NioListenerInternals(Listener listener) throws ReflectiveOperationException {
    Field field = listener.getClass().getDeclaredField("acceptor");
    field.setAccessible(true);
    this.acceptor = (IoAcceptor) field.get(listener);
  }

  /**
   * The acceptor reads its backlog only when it binds, and NioListener binds in start(): bind once
   * more, before any client is served. The kernel caps the value at net.core.somaxconn. A listener
   * asked for any free port (port 0, as in tests) takes any free port again, since its old one is
   * in the ephemeral range and a client socket may take it in between; returns the bound port.
   */
  int rebindWithBacklog(int backlog, boolean anyPort) throws IOException {
    SocketAcceptor socketAcceptor = (SocketAcceptor) acceptor;
    InetSocketAddress bound = socketAcceptor.getLocalAddress();
    socketAcceptor.unbind();
    socketAcceptor.setBacklog(backlog);
    socketAcceptor.bind(anyPort ? new InetSocketAddress(bound.getAddress(), 0) : bound);
    return socketAcceptor.getLocalAddress().getPort();
  }

  /**
   * MINA copies session details into the logging MDC around every event; our log lines never show
   * it (JSON lines of java.util.logging). Removed from the chain every session copies, so that not
   * even a session's creation pays for it.
   */
  void removeLoggingContextFilters() {
    for (String name : LOGGING_CONTEXT_FILTERS) {
      if (acceptor.getFilterChain().contains(name)) {
        acceptor.getFilterChain().remove(name);
      }
    }
  }

  /**
   * Below FTP_LOG_LEVEL=debug the command log's logger is off (LogSetup), yet the filter still
   * upper-cases a copy of every command line to mask passwords and asks the logger at every event.
   * Its one line at a lower level, an exception's stack trace, MINA's handler logs as well.
   */
  void removeCommandLogFilter() {
    if (acceptor.getFilterChain().contains(COMMAND_LOG_FILTER)) {
      acceptor.getFilterChain().remove(COMMAND_LOG_FILTER);
    }
  }

  void keepSessionsOnUnbind() {
    acceptor.setCloseOnDeactivation(false);
  }

  /**
   * New connections get the new context; the chain builder is copied into each new session, running
   * ones keep theirs.
   */
  void replaceImplicitTlsFilter(SSLContext context, String[] protocols) {
    SslFilter filter = new SslFilter(context);
    filter.setEnabledProtocols(protocols);
    if (acceptor.getFilterChain().contains(IMPLICIT_TLS_FILTER)) {
      acceptor.getFilterChain().replace(IMPLICIT_TLS_FILTER, filter);
    }
  }
}

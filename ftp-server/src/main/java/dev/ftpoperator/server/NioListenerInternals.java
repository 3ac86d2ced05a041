package dev.ftpoperator.server;

import java.lang.reflect.Field;
import javax.net.ssl.SSLContext;
import org.apache.ftpserver.listener.Listener;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Two things MINA's NioListener does not expose, reached through its private acceptor: unbinding
 * without closing the open sessions (SIGTERM drain), and swapping the implicit-FTPS TLS filter
 * after a certificate reload (the filter is built once at start; explicit FTPS builds one per AUTH
 * and needs no swap).
 */
final class NioListenerInternals {

  /** The name NioListener gives its implicit TLS filter. */
  private static final String IMPLICIT_TLS_FILTER = "sslFilter";

  private final IoAcceptor acceptor;

  NioListenerInternals(Listener listener) throws ReflectiveOperationException {
    Field field = listener.getClass().getDeclaredField("acceptor");
    field.setAccessible(true);
    this.acceptor = (IoAcceptor) field.get(listener);
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

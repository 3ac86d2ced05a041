package dev.ftpoperator.server.tls;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * What every TLS handshake of this server insists on, against cross-protocol attacks (ALPACA): a
 * client that offers ALPN must offer {@code ftp} (else the JDK answers {@code
 * no_application_protocol}); with server names configured, a client that sends SNI must name one of
 * them (else {@code unrecognized_name}). No ALPN and no SNI stay allowed: most FTP clients send no
 * ALPN, and a client connecting to an IP address cannot send SNI.
 */
public record HandshakeRules(List<String> serverNames) {

  static final String ALPN_FTP = "ftp";

  public HandshakeRules {
    serverNames = serverNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  /** Adds the rules to {@code params} (which keep everything else). */
  public SSLParameters applyTo(SSLParameters params) {
    params.setApplicationProtocols(new String[] {ALPN_FTP});
    if (!serverNames.isEmpty()) {
      String anyOf =
          serverNames.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?i)(", ")"));
      params.setSNIMatchers(List.<SNIMatcher>of(SNIHostName.createSNIMatcher(anyOf)));
    }
    return params;
  }

  public void applyTo(SSLSocket socket) {
    socket.setSSLParameters(applyTo(socket.getSSLParameters()));
  }

  /**
   * {@code context} whose engines carry the rules: MINA builds its TLS filters (AUTH TLS, implicit
   * FTPS) from an SSLContext, so the rules must come with it.
   */
  public SSLContext wrap(SSLContext context) {
    return new SSLContext(
        new RuledSpi(context, this), context.getProvider(), context.getProtocol()) {};
  }

  private static final class RuledSpi extends SSLContextSpi {
    private final SSLContext delegate;
    private final HandshakeRules rules;

    RuledSpi(SSLContext delegate, HandshakeRules rules) {
      this.delegate = delegate;
      this.rules = rules;
    }

    private SSLEngine ruled(SSLEngine engine) {
      engine.setSSLParameters(rules.applyTo(engine.getSSLParameters()));
      return engine;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      delegate.init(km, tm, random);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return ruled(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return ruled(delegate.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }
}

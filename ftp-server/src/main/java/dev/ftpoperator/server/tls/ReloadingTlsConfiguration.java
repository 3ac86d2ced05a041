package dev.ftpoperator.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's TLS configuration backed by PEM files that may change (cert-manager renewals, Secret
 * updates). Each new control connection and data connection asks for the current SSLContext, so a
 * reload applies to new connections while running ones keep their session. A broken update is
 * logged and the previous certificate kept.
 */
public final class ReloadingTlsConfiguration implements SslConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTlsConfiguration.class);

  private final Path certFile;
  private final Path keyFile;
  private final String[] protocols;
  private final HandshakeRules rules;
  private static final int CONTEXTS_KEPT = 4;

  private volatile SSLContext context;

  /** Recent contexts, so a data connection can resume a control session made before a reload. */
  private final Deque<SSLContext> recent = new ArrayDeque<>();

  private Consumer<SSLContext> reloadListener = context -> {};
  private byte[] loadedCert = new byte[0];
  private byte[] loadedKey = new byte[0];

  public ReloadingTlsConfiguration(
      Path certFile, Path keyFile, List<String> protocols, HandshakeRules rules)
      throws IOException, GeneralSecurityException {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.protocols = protocols.toArray(new String[0]);
    this.rules = rules;
    load(Files.readAllBytes(certFile), Files.readAllBytes(keyFile));
  }

  /** Called periodically: rebuilds the context when either file's content changed. */
  public synchronized void reloadIfChanged() {
    try {
      byte[] cert = Files.readAllBytes(certFile);
      byte[] key = Files.readAllBytes(keyFile);
      if (Arrays.equals(cert, loadedCert) && Arrays.equals(key, loadedKey)) {
        return;
      }
      load(cert, key);
      reloadListener.accept(context);
      LOG.info("TLS certificate reloaded from {}", certFile);
    } catch (IOException | GeneralSecurityException e) {
      LOG.warn(
          "TLS files changed but cannot be loaded, keeping the previous certificate: {}",
          e.getMessage());
    }
  }

  private synchronized void load(byte[] cert, byte[] key)
      throws IOException, GeneralSecurityException {
    KeyStore store = PemKeyStore.from(cert, key);
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(store, PemKeyStore.PASSWORD);
    SSLContext fresh = SSLContext.getInstance("TLS");
    // no trust managers: clients are never asked for certificates (getClientAuth), and null would
    // load the JDK's whole CA store at every start and reload
    fresh.init(keyManagers.getKeyManagers(), new TrustManager[0], null);
    context = rules.wrap(fresh);
    recent.addFirst(context);
    while (recent.size() > CONTEXTS_KEPT) {
      recent.removeLast();
    }
    loadedCert = cert;
    loadedKey = key;
  }

  /** The rules data connections' handshakes must follow too (they are made from sockets). */
  public HandshakeRules handshakeRules() {
    return rules;
  }

  @Override
  public SSLSocketFactory getSocketFactory() {
    return context.getSocketFactory();
  }

  /** Told about every context built by a reload (implicit FTPS must swap its listener filter). */
  public synchronized void onReload(Consumer<SSLContext> listener) {
    this.reloadListener = listener;
  }

  /**
   * The socket factory of the context that created the control connection's session (current one if
   * unknown).
   */
  public synchronized SSLSocketFactory socketFactoryFor(SSLSession controlSession) {
    if (controlSession != null) {
      for (SSLContext candidate : recent) {
        if (candidate.getServerSessionContext() == controlSession.getSessionContext()) {
          return candidate.getSocketFactory();
        }
      }
    }
    return context.getSocketFactory();
  }

  @Override
  public SSLContext getSSLContext() {
    return context;
  }

  @Override
  public SSLContext getSSLContext(String protocol) {
    return context;
  }

  @Override
  public String[] getEnabledCipherSuites() {
    // the JDK's defaults for TLS 1.2/1.3 are strong; null keeps them
    return null;
  }

  @Override
  public String getEnabledProtocol() {
    return protocols[0];
  }

  @Override
  public String[] getEnabledProtocols() {
    return protocols.clone();
  }

  @Override
  public ClientAuth getClientAuth() {
    return ClientAuth.NONE;
  }
}

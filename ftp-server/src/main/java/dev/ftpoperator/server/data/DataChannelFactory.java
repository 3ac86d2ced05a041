package dev.ftpoperator.server.data;

import dev.ftpoperator.server.users.ProbeAccount;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.ftpserver.DataConnectionException;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.impl.ServerDataConnectionFactory;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data channel of one control session (replaces MINA's IODataConnectionFactory). Compared to
 * MINA it: takes ports from the shared {@link PassivePorts} and always returns them; frees a PASV
 * port nobody connected to after the connect timeout; accepts a passive connection only from the
 * control connection's IP (others are refused and the real client can still connect); and can
 * require the data TLS session to resume the control one.
 */
public final class DataChannelFactory implements ServerDataConnectionFactory {

  /**
   * MINA looks the factory up under this session attribute (FtpIoSession.ATTRIBUTE_DATA_CONNECTION,
   * private there).
   */
  public static final String SESSION_ATTRIBUTE = "org.apache.ftpserver.data-connection";

  private static final Logger LOG = LoggerFactory.getLogger(DataChannelFactory.class);

  /** The logged-in user (FtpIoSession.ATTRIBUTE_USER, private there). */
  private static final String MINA_USER = "org.apache.ftpserver.user";

  private final IoSession control;
  private final DataChannelSettings settings;
  private final SessionActivity activity;

  private PassivePorts.Reservation passive;
  private int passivePort;
  private ScheduledFuture<?> unusedPortTimeout;
  private InetSocketAddress activeTarget;
  private Socket dataSocket;
  private boolean secure;
  private boolean zipMode;

  public DataChannelFactory(
      IoSession control, DataChannelSettings settings, SessionActivity activity) {
    this.control = control;
    this.settings = settings;
    this.activity = activity;
    // implicit FTPS: data channels start protected, like MINA's own factory
    this.secure = settings.protectedByDefault();
  }

  private InetAddress clientAddress() {
    return ((InetSocketAddress) control.getRemoteAddress()).getAddress();
  }

  private InetAddress controlLocalAddress() {
    return ((InetSocketAddress) control.getLocalAddress()).getAddress();
  }

  @Override
  public synchronized InetSocketAddress initPassiveDataConnection() throws DataConnectionException {
    closeDataConnection();
    PassivePorts.Reservation reservation = settings.ports().reserve(clientAddress());
    if (reservation == null) {
      settings.metrics().passivePortsExhausted();
      throw new DataConnectionException("all passive ports are in use");
    }
    passive = reservation;
    passivePort = reservation.port();
    long timeoutMillis = settings.connectTimeout().toMillis();
    if (timeoutMillis > 0) {
      PassivePorts.Reservation reserved = reservation;
      unusedPortTimeout =
          settings
              .timers()
              .schedule(() -> releaseUnused(reserved), timeoutMillis, TimeUnit.MILLISECONDS);
    }
    return new InetSocketAddress(controlLocalAddress(), passivePort);
  }

  /** A PASV whose port was never used must not hold it until the session ends. */
  private synchronized void releaseUnused(PassivePorts.Reservation reserved) {
    if (passive == reserved && dataSocket == null) {
      LOG.debug("passive port {} unused for {}, released", passivePort, settings.connectTimeout());
      closeDataConnection();
    }
  }

  @Override
  public synchronized void initActiveDataConnection(InetSocketAddress address) {
    closeDataConnection();
    activeTarget = address;
  }

  @Override
  public DataConnection openConnection() throws Exception {
    PassivePorts.Reservation reservation;
    InetSocketAddress target;
    boolean tls;
    synchronized (this) {
      if (unusedPortTimeout != null) {
        unusedPortTimeout.cancel(false);
        unusedPortTimeout = null;
      }
      reservation = passive;
      target = activeTarget;
      tls = secure;
    }
    // accept/connect outside the lock, so closing the session never waits for a slow client
    Socket socket;
    if (reservation != null) {
      socket = reservation.accept(settings.connectTimeout());
    } else if (target != null) {
      socket = connectToClient(target);
    } else {
      throw new DataConnectionException("PORT or PASV must be issued first");
    }
    if (tls) {
      // bounded handshake; afterwards stalls are the ActiveTransfers watchdog's job
      socket.setSoTimeout((int) settings.connectTimeout().toMillis());
      socket = wrapInTls(socket);
      socket.setSoTimeout(0);
    }
    synchronized (this) {
      dataSocket = socket;
    }
    return new StreamingDataConnection(
        socket,
        settings.metrics(),
        settings.transfers(),
        activity,
        settings.uploadBuffers(),
        settings.uploadSplice());
  }

  private Socket connectToClient(InetSocketAddress target) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.socket().setReuseAddress(true);
      channel.bind(new InetSocketAddress(controlLocalAddress(), 0));
      channel.socket().connect(target, (int) settings.connectTimeout().toMillis());
      channel.socket().setTcpNoDelay(true);
      return channel.socket();
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  private Socket wrapInTls(Socket plain) throws IOException, GeneralSecurityException {
    if (settings.tls() == null) {
      plain.close();
      throw new IOException("TLS requested on the data channel but not configured");
    }
    SSLSession controlSession = controlTlsSession();
    SSLSocket tls =
        (SSLSocket)
            settings
                .tls()
                .socketFactoryFor(controlSession)
                .createSocket(
                    plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
    tls.setUseClientMode(false);
    tls.setEnabledProtocols(settings.tls().getEnabledProtocols());
    settings.tls().handshakeRules().applyTo(tls);
    tls.startHandshake();
    if (settings.tlsSessionReuseRequired()
        && !isProbe()
        && !resumes(controlSession, tls.getSession())) {
      tls.close();
      throw new IOException("data connection did not reuse the control connection's TLS session");
    }
    return tls;
  }

  /**
   * The operator's probe (a Java client, which cannot resume sessions) is exempt from the reuse
   * rule: the rule guards a user's files, and the probe's read-only home is empty.
   */
  private boolean isProbe() {
    return control.getAttribute(MINA_USER) instanceof User user
        && ProbeAccount.NAME.equals(user.getName());
  }

  private SSLSession controlTlsSession() {
    return control.getAttribute(SslFilter.SSL_SECURED) instanceof SSLSession session
        ? session
        : null;
  }

  private static boolean resumes(SSLSession controlSession, SSLSession data) {
    if (controlSession == null) {
      return false;
    }
    // a resumed session carries the id and the creation time of the session it resumes
    return Arrays.equals(controlSession.getId(), data.getId())
        || controlSession.getCreationTime() == data.getCreationTime();
  }

  @Override
  public synchronized void closeDataConnection() {
    if (unusedPortTimeout != null) {
      unusedPortTimeout.cancel(false);
      unusedPortTimeout = null;
    }
    if (dataSocket != null) {
      // a transfer may still run on it, in sendfile or splice
      ActiveTransfers.abort(dataSocket);
      dataSocket = null;
    }
    if (passive != null) {
      passive.release();
      passive = null;
      passivePort = 0;
    }
    activeTarget = null;
  }

  @Override
  public synchronized boolean isSecure() {
    return secure;
  }

  @Override
  public synchronized void setSecure(boolean secure) {
    this.secure = secure;
  }

  @Override
  public void setServerControlAddress(InetAddress serverControlAddress) {
    // passive sockets always bind to the control connection's local address
  }

  @Override
  public synchronized boolean isZipMode() {
    return zipMode;
  }

  @Override
  public synchronized void setZipMode(boolean zip) {
    this.zipMode = zip;
  }

  @Override
  public synchronized boolean isTimeout(long currTime) {
    return false;
  }

  @Override
  public void dispose() {
    closeDataConnection();
  }

  @Override
  public synchronized InetAddress getInetAddress() {
    return activeTarget != null
        ? activeTarget.getAddress()
        : passive != null ? controlLocalAddress() : null;
  }

  @Override
  public synchronized int getPort() {
    return activeTarget != null ? activeTarget.getPort() : passivePort;
  }
}

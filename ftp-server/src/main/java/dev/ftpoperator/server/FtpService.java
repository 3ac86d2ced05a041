package dev.ftpoperator.server;

import dev.ftpoperator.server.cluster.ClusterNode;
import dev.ftpoperator.server.command.EpsvCommand;
import dev.ftpoperator.server.command.FeatCommand;
import dev.ftpoperator.server.command.PasvCommand;
import dev.ftpoperator.server.command.QuitCommand;
import dev.ftpoperator.server.command.UserCommand;
import dev.ftpoperator.server.config.OpenFileBudget;
import dev.ftpoperator.server.config.ServerSettings;
import dev.ftpoperator.server.config.TlsMode;
import dev.ftpoperator.server.data.ActiveTransfers;
import dev.ftpoperator.server.data.DataChannelSettings;
import dev.ftpoperator.server.data.KernelSplice;
import dev.ftpoperator.server.data.PassiveAcceptor;
import dev.ftpoperator.server.data.PassivePorts;
import dev.ftpoperator.server.data.PublicAddressResolver;
import dev.ftpoperator.server.files.HomeFileSystemFactory;
import dev.ftpoperator.server.files.ListingMemory;
import dev.ftpoperator.server.listing.ListingCommand;
import dev.ftpoperator.server.listing.StatCommand;
import dev.ftpoperator.server.ops.HealthHttpServer;
import dev.ftpoperator.server.ops.LogSetup;
import dev.ftpoperator.server.ops.ServerMetrics;
import dev.ftpoperator.server.security.AccessFtplet;
import dev.ftpoperator.server.security.LoginGuard;
import dev.ftpoperator.server.session.ControlLimits;
import dev.ftpoperator.server.session.ControlSessions;
import dev.ftpoperator.server.session.SessionReaper;
import dev.ftpoperator.server.tls.HandshakeRules;
import dev.ftpoperator.server.tls.ReloadingTlsConfiguration;
import dev.ftpoperator.server.users.ProbeAccount;
import dev.ftpoperator.server.users.UserDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running FTP server: MINA wired with our settings, data channels, users, limits, TLS and HTTP
 * endpoints.
 */
public final class FtpService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FtpService.class);
  private static final String LISTENER = "default";

  private final ServerSettings settings;
  private final ScheduledExecutorService timers;
  private final ServerMetrics metrics = new ServerMetrics();

  /** Only with several replicas. */
  private final ClusterNode cluster;

  // a lone server's passive listeners; a replica's belong to its cluster node
  private final PassiveAcceptor passiveAcceptor;

  private final ActiveTransfers transfers;
  private final ControlSessions sessions;
  private final FtpServer server;
  private final Listener listener;
  private final int controlPort;
  private final HealthHttpServer http;
  private volatile boolean stopped;
  private volatile boolean draining;

  private FtpService(ServerSettings settings)
      throws IOException, GeneralSecurityException, FtpException, ReflectiveOperationException {
    this.settings = settings;
    // MINA's NioListener runs an I/O thread per processor
    int maxSessions =
        OpenFileBudget.sessionLimitOfThisProcess(
            settings, Runtime.getRuntime().availableProcessors());
    this.timers = newTimers();
    Files.createDirectories(settings.dataDir());
    if (settings.probePasswordFile().isPresent()) {
      ProbeAccount.prepareHome(settings.probeHome(), settings.podName());
    }
    ReloadingTlsConfiguration tls =
        settings.tlsMode().enabled()
            ? new ReloadingTlsConfiguration(
                settings.tlsCertFile(),
                settings.tlsKeyFile(),
                settings.tlsProtocols(),
                new HandshakeRules(settings.tlsServerNames()))
            : null;
    LoginGuard guard =
        new LoginGuard(
            settings.banAfterFailures(),
            settings.banFailureWindow(),
            settings.banDuration(),
            Clock.systemUTC());
    cluster =
        settings.cluster().isPresent()
            ? ClusterNode.start(
                settings.cluster().get(),
                settings.passivePorts(),
                settings.dataConnectTimeout(),
                metrics,
                client -> failedElsewhere(guard, client),
                timers,
                InetAddress.getByName(settings.bindAddress()))
            : null;
    PassivePorts lonePorts =
        cluster == null ? new PassivePorts(settings.passivePorts(), metrics) : null;
    passiveAcceptor =
        lonePorts != null
            ? new PassiveAcceptor(
                settings.passivePorts(),
                InetAddress.getByName(settings.bindAddress()),
                lonePorts::deliver)
            : null;
    try {
      PassivePorts ports = cluster != null ? cluster.ports() : lonePorts;
      transfers = new ActiveTransfers(settings.transferStallTimeout());
      DataChannelSettings dataChannels =
          new DataChannelSettings(
              ports,
              settings.dataConnectTimeout(),
              tls,
              settings.tlsMode() == TlsMode.IMPLICIT,
              settings.tlsSessionReuseRequired(),
              metrics,
              transfers,
              timers,
              DataChannelSettings.uploadBufferPool(),
              KernelSplice::load);
      PublicAddressResolver publicAddress =
          new PublicAddressResolver(
              settings.publicAddress(), settings.publicAddressCacheTtl(), Clock.systemUTC());
      ListingMemory listingMemory = new ListingMemory(settings.listingMemoryBytes());
      metrics.bindListingMemory(
          listingMemory::reservedBytes, listingMemory.limitBytes(), listingMemory::refusals);
      org.apache.ftpserver.command.CommandFactory commands =
          commands(settings, publicAddress, listingMemory);
      sessions =
          new ControlSessions(
              maxSessions,
              settings.maxSessionsPerIp(),
              dataChannels,
              settings.loginFailureDelay(),
              new ControlLimits(
                  settings.maxUnknownCommands(),
                  settings.commandRate(),
                  settings.commandBurst(),
                  settings.maxCommandLineBytes(),
                  settings.maxQueuedBytes()),
              name -> commands.getCommand(name) != null,
              guard::isBanned,
              publicAddress.answersWithoutLookup());
      metrics.bindGauges(sessions::openCount, maxSessions, ports::inUse, ports::size);

      FtpServerFactory factory = new FtpServerFactory();
      factory.setUserManager(
          new UserDirectory(
              settings.usersDir(),
              settings.dataDir(),
              settings.anonymousEnabled(),
              settings.anonymousHome(),
              settings
                  .probePasswordFile()
                  .map(file -> new ProbeAccount(file, settings.probeHome()))));
      factory.setFileSystem(new HomeFileSystemFactory());
      factory.setConnectionConfig(connectionConfig(settings, maxSessions));
      factory.setCommandFactory(commands);
      // mutable: MINA clears the map on stop
      factory.setFtplets(
          new HashMap<>(
              Map.of(
                  "access",
                  new AccessFtplet(
                      guard,
                      metrics,
                      settings.tlsMode(),
                      cluster != null ? cluster::reportLoginFailure : client -> {}))));
      factory.addListener(LISTENER, listener(settings, tls));
      server = factory.createServer();
      server.start();
      listener = factory.getListener(LISTENER);
      new NioListenerInternals(listener).removeLoggingContextFilters();
      if (!LogSetup.commandLogEnabled()) {
        new NioListenerInternals(listener).removeCommandLogFilter();
      }
      // MINA binds with a backlog of 50: a burst of logins beyond it loses SYNs, and each lost one
      // costs its client a 1 s, 3 s, 7 s... retransmit. Let the kernel queue as many as may log in.
      controlPort =
          new NioListenerInternals(listener)
              .rebindWithBacklog(maxSessions, settings.controlPort() == 0);

      timers.scheduleWithFixedDelay(
          new SessionReaper(
              sessions, transfers, guard, settings.loginTimeout(), settings.idleTimeout()),
          1,
          1,
          TimeUnit.SECONDS);
      if (tls != null && settings.tlsMode() == TlsMode.IMPLICIT) {
        NioListenerInternals internals = new NioListenerInternals(listener);
        tls.onReload(
            context -> internals.replaceImplicitTlsFilter(context, tls.getEnabledProtocols()));
      }
      if (tls != null && !settings.tlsReloadInterval().isZero()) {
        long every = settings.tlsReloadInterval().toMillis();
        timers.scheduleWithFixedDelay(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
      }
      http =
          new HealthHttpServer(
              settings.httpBindAddress(),
              settings.httpPort(),
              this::isAccepting,
              metrics::prometheusText);
    } catch (IOException | FtpException | ReflectiveOperationException | RuntimeException e) {
      // the passive and relay listeners must not outlive a server that failed to start
      closePassiveListeners();
      throw e;
    }
  }

  private void closePassiveListeners() {
    if (cluster != null) {
      cluster.close();
    }
    if (passiveAcceptor != null) {
      passiveAcceptor.close();
    }
  }

  /** A failed login another replica saw counts here too. */
  private void failedElsewhere(LoginGuard guard, InetAddress client) {
    if (guard.failed(client)) {
      metrics.ipBanned();
      LOG.warn(
          "client {} banned after repeated login failures (counted across replicas)",
          client.getHostAddress());
    }
  }

  public static FtpService start(ServerSettings settings)
      throws IOException, GeneralSecurityException, FtpException, ReflectiveOperationException {
    return new FtpService(settings);
  }

  private static ScheduledExecutorService newTimers() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "ftp-timers");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** MINA's defaults (10 logins, anonymous on, sleeping login delay) replaced by ours. */
  private static org.apache.ftpserver.ConnectionConfig connectionConfig(
      ServerSettings settings, int maxSessions) {
    ConnectionConfigFactory config = new ConnectionConfigFactory();
    config.setAnonymousLoginEnabled(settings.anonymousEnabled());
    config.setMaxAnonymousLogins(maxSessions);
    config.setMaxLogins(maxSessions);
    // failures are counted and delayed by AccessFtplet/FailureReplyDelay without blocking a thread
    config.setMaxLoginFailures(0);
    config.setLoginFailureDelay(0);
    // a transfer blocks its worker thread, so by default every session can be inside one at once
    config.setMaxThreads(settings.workerThreads());
    return config.createConnectionConfig();
  }

  private static org.apache.ftpserver.command.CommandFactory commands(
      ServerSettings settings, PublicAddressResolver publicAddress, ListingMemory listingMemory) {
    CommandFactoryFactory commands = new CommandFactoryFactory();
    commands.addCommand("PASV", new PasvCommand(publicAddress, settings.requirePublicAddress()));
    commands.addCommand("EPSV", new EpsvCommand());
    commands.addCommand("FEAT", new FeatCommand(settings.tlsMode().enabled()));
    commands.addCommand("USER", new UserCommand());
    commands.addCommand("QUIT", new QuitCommand());
    commands.addCommand("LIST", new ListingCommand(ListingCommand.Kind.LIST, listingMemory));
    commands.addCommand("NLST", new ListingCommand(ListingCommand.Kind.NLST, listingMemory));
    commands.addCommand("MLSD", new ListingCommand(ListingCommand.Kind.MLSD, listingMemory));
    commands.addCommand("STAT", new StatCommand(settings.transferStallTimeout(), listingMemory));
    return commands.createCommandFactory();
  }

  private Listener listener(ServerSettings settings, ReloadingTlsConfiguration tls) {
    DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
    data.setActiveEnabled(settings.activeEnabled());
    // bounce protection: PORT/EPRT only to the control connection's client address
    data.setActiveIpCheck(true);
    data.setPassiveIpCheck(true);
    data.setPassivePorts(settings.passivePorts().toString());
    data.setIdleTime((int) Math.max(1, settings.dataConnectTimeout().toSeconds()));
    data.setImplicitSsl(settings.tlsMode() == TlsMode.IMPLICIT);

    ListenerFactory factory = new ListenerFactory();
    factory.setServerAddress(settings.bindAddress());
    factory.setPort(settings.controlPort());
    // idle handling is ours (SessionReaper): MINA's would cut the control connection during long
    // transfers
    factory.setIdleTimeout(0);
    factory.setSessionFilter(sessions);
    factory.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
    if (tls != null) {
      factory.setSslConfiguration(tls);
      factory.setImplicitSsl(settings.tlsMode() == TlsMode.IMPLICIT);
    }
    return factory.createListener();
  }

  public int controlPort() {
    return controlPort;
  }

  public int httpPort() {
    return http.port();
  }

  /** The relay port of a replica among several; empty for a lone server. */
  public java.util.OptionalInt relayPort() {
    return cluster != null
        ? java.util.OptionalInt.of(cluster.relayPort())
        : java.util.OptionalInt.empty();
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  public boolean isAccepting() {
    return !stopped && !draining && !listener.isStopped() && !listener.isSuspended();
  }

  /**
   * SIGTERM: stop accepting connections (readiness turns false), let running transfers finish
   * within the grace period, then tell remaining clients and stop.
   */
  public void drainAndStop(Duration grace) {
    if (stopped) {
      return;
    }
    LOG.info(
        "shutting down: no new connections, waiting up to {} s for {} transfer(s) and {} relayed connection(s)",
        grace.toSeconds(),
        transfers.count(),
        relaysOpen());
    stopAccepting();
    long deadline = System.nanoTime() + grace.toNanos();
    // a command still running (a transfer and its final reply) is let finish, and so are other
    // replicas' transfers relayed through this one
    while ((transfers.count() > 0 || sessions.busyCount() > 0 || relaysOpen() > 0)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (transfers.count() > 0 || relaysOpen() > 0) {
      LOG.warn(
          "grace period over, aborting {} transfer(s) and {} relayed connection(s)",
          transfers.count(),
          relaysOpen());
    }
    close();
  }

  private int relaysOpen() {
    return cluster != null ? cluster.relaysOpen() : 0;
  }

  /**
   * Unbinds the control port, keeping the open sessions; if that is impossible, new sessions are
   * refused instead.
   */
  private void stopAccepting() {
    try {
      new NioListenerInternals(listener).keepSessionsOnUnbind();
      listener.suspend();
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "cannot unbind the control port without closing sessions ({}); refusing new sessions instead",
          e.toString());
      sessions.refuseNewSessions();
    }
    draining = true;
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    sessions.closeAll("Server shutting down");
    server.stop();
    closePassiveListeners();
    http.close();
    timers.shutdownNow();
    LOG.info("stopped");
  }
}

package dev.ftpoperator.server;

import dev.ftpoperator.server.config.ServerSettings;
import dev.ftpoperator.server.config.Variable;
import dev.ftpoperator.server.ops.LogSetup;
import java.security.Security;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: settings from FTP_* variables, server started, SIGTERM drains it. */
public final class FtpServerMain {

  private FtpServerMain() {}

  public static void main(String[] args) throws Exception {
    LogSetup.useShutdownSafeLogManager();
    LogSetup.install(
        Variable.FTP_LOG_LEVEL.in(System.getenv()).or(Variable.FTP_LOG_LEVEL::defaultValue).get());
    Logger log = LoggerFactory.getLogger(FtpServerMain.class);
    ServerSettings settings;
    try {
      settings = ServerSettings.fromEnvironment();
    } catch (IllegalArgumentException e) {
      log.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    for (String unknown : Variable.unknownIn(System.getenv())) {
      log.warn(
          "ignoring {}: not a setting of this server (a typo, or meant for another version?)",
          unknown);
    }
    // the JVM caches DNS answers itself; keep that no longer than our own public-address cache
    Security.setProperty(
        "networkaddress.cache.ttl",
        Long.toString(Math.max(1, settings.publicAddressCacheTtl().toSeconds())));
    Security.setProperty("networkaddress.cache.negative.ttl", "1");

    FtpService service;
    try {
      service = FtpService.start(settings);
    } catch (IllegalArgumentException e) {
      // settings that can only be checked when starting (the cluster secret file, the open-file
      // limit)
      log.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info(
        "ftp server listening on {}:{} passive={} publicAddress={} requirePublicAddress={} tls={} http={} replicas={}",
        settings.bindAddress(),
        service.controlPort(),
        settings.passivePorts(),
        settings.publicAddress().orElse("(none)"),
        settings.requirePublicAddress(),
        settings.tlsMode().name().toLowerCase(java.util.Locale.ROOT),
        service.httpPort(),
        settings.cluster().map(c -> c.replicas()).orElse(1));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> service.drainAndStop(settings.shutdownGrace()), "shutdown"));
  }
}

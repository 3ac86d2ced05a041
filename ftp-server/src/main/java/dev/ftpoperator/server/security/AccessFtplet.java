package dev.ftpoperator.server.security;

import dev.ftpoperator.server.config.TlsMode;
import dev.ftpoperator.server.data.DataChannelFactory;
import dev.ftpoperator.server.ops.ServerMetrics;
import dev.ftpoperator.server.session.TrackedSession;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may talk to the server: refuses connections over the session limits and from banned IPs,
 * enforces TLS when it is required, and feeds login outcomes to the {@link LoginGuard} and the
 * metrics. Logs user names, never passwords.
 */
public final class AccessFtplet extends DefaultFtplet {

  private static final Logger LOG = LoggerFactory.getLogger(AccessFtplet.class);
  private static final Set<String> DATA_COMMANDS =
      Set.of("LIST", "NLST", "MLSD", "RETR", "STOR", "STOU", "APPE");
  private static final int MAX_FAILURES_PER_SESSION = 3;
  private static final String LOGIN_NAME = "dev.ftpoperator.login-name";

  private final LoginGuard guard;
  private final ServerMetrics metrics;
  private final boolean tlsRequired;
  private final Consumer<InetAddress> failureReports;

  /**
   * @param failureReports told of every failed login (the other replicas count it too)
   */
  public AccessFtplet(
      LoginGuard guard,
      ServerMetrics metrics,
      TlsMode tlsMode,
      Consumer<InetAddress> failureReports) {
    this.guard = guard;
    this.metrics = metrics;
    this.tlsRequired = tlsMode == TlsMode.REQUIRED;
    this.failureReports = failureReports;
  }

  @Override
  public FtpletResult onConnect(FtpSession session) throws FtpException, IOException {
    TrackedSession tracked = TrackedSession.of(session);
    // limits and bans, decided when the connection arrived (ControlSessions)
    String refusal = tracked.refusal();
    if (refusal != null) {
      LOG.warn("refused connection from {}: {}", tracked.clientIp().getHostAddress(), refusal);
      metrics.sessionRejected();
      session.write(
          new DefaultFtpReply(
              FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION, refusal));
      return FtpletResult.DISCONNECT;
    }
    LOG.debug("connection from {}", tracked.clientIp().getHostAddress());
    return FtpletResult.DEFAULT;
  }

  @Override
  public FtpletResult beforeCommand(FtpSession session, FtpRequest request)
      throws FtpException, IOException {
    String command = request.getCommand();
    if (command.equals("PASS")) {
      // MINA forgets the user name when a login fails; keep it for the log line
      session.setAttribute(LOGIN_NAME, session.getUserArgument());
    }
    if (tlsRequired && !session.isSecure() && (command.equals("USER") || command.equals("PASS"))) {
      session.write(
          new DefaultFtpReply(
              FtpReply.REPLY_530_NOT_LOGGED_IN,
              "This server requires TLS: send AUTH TLS before logging in"));
      return FtpletResult.SKIP;
    }
    if (tlsRequired && DATA_COMMANDS.contains(command) && !session.getDataConnection().isSecure()) {
      session.write(
          new DefaultFtpReply(521, "This server requires protected data connections: send PROT P"));
      return FtpletResult.SKIP;
    }
    if ((command.equals("PORT") || command.equals("EPRT"))
        && activePort(command, request.getArgument()) < 1024) {
      // RFC 2577: else the server connects to a privileged service (SMTP, rsh) for the client
      session.write(
          new DefaultFtpReply(
              FtpReply.REPLY_504_COMMAND_NOT_IMPLEMENTED_FOR_THAT_PARAMETER,
              "Active mode to a port below 1024 is not allowed"));
      return FtpletResult.SKIP;
    }
    if (command.equals("MODE") && "Z".equalsIgnoreCase(request.getArgument())) {
      // our data channel streams bytes as they are; MINA would otherwise accept deflate mode and
      // break clients
      session.write(
          new DefaultFtpReply(
              FtpReply.REPLY_504_COMMAND_NOT_IMPLEMENTED_FOR_THAT_PARAMETER,
              "MODE Z not supported"));
      return FtpletResult.SKIP;
    }
    if (DATA_COMMANDS.contains(command)
        && session.getDataConnection() instanceof DataChannelFactory data
        && data.getInetAddress() == null) {
      // MINA checks this only for its own data connection class
      session.write(
          new DefaultFtpReply(
              FtpReply.REPLY_503_BAD_SEQUENCE_OF_COMMANDS, "PORT or PASV must be issued first"));
      return FtpletResult.SKIP;
    }
    return FtpletResult.DEFAULT;
  }

  /**
   * The port of a PORT (h1,h2,h3,h4,p1,p2) or EPRT (|af|address|port|) argument; 1024 when it does
   * not parse, so that MINA answers the syntax error itself.
   */
  static int activePort(String command, String argument) {
    if (argument == null) {
      return 1024;
    }
    try {
      if (command.equals("PORT")) {
        String[] parts = argument.trim().split(",");
        return parts.length == 6
            ? Integer.parseInt(parts[4].trim()) * 256 + Integer.parseInt(parts[5].trim())
            : 1024;
      }
      String trimmed = argument.trim();
      if (trimmed.length() < 2) {
        return 1024;
      }
      String[] parts = trimmed.split(Pattern.quote(trimmed.substring(0, 1)), -1);
      return parts.length == 5 ? Integer.parseInt(parts[3].trim()) : 1024;
    } catch (NumberFormatException e) {
      return 1024;
    }
  }

  @Override
  public FtpletResult afterCommand(FtpSession session, FtpRequest request, FtpReply reply) {
    if (!request.getCommand().equals("PASS") || reply == null) {
      return FtpletResult.DEFAULT;
    }
    TrackedSession tracked = TrackedSession.of(session);
    String ip = tracked.clientIp().getHostAddress();
    String user = String.valueOf(session.getAttribute(LOGIN_NAME));
    if (reply.getCode() == FtpReply.REPLY_230_USER_LOGGED_IN) {
      guard.succeeded(tracked.clientIp());
      tracked.loggedIn();
      metrics.loginSucceeded();
      LOG.info("login ok user={} client={}", user, ip);
    } else if (reply.getCode() == FtpReply.REPLY_530_NOT_LOGGED_IN) {
      metrics.loginFailed();
      int failuresHere = tracked.loginFailed();
      boolean banned = guard.failed(tracked.clientIp());
      failureReports.accept(tracked.clientIp());
      LOG.warn("login failed user={} client={}", user, ip);
      if (banned) {
        metrics.ipBanned();
        LOG.warn("client {} banned after repeated login failures", ip);
      }
      if (banned || failuresHere >= MAX_FAILURES_PER_SESSION) {
        tracked.closeAfterReply();
      }
    }
    return FtpletResult.DEFAULT;
  }
}

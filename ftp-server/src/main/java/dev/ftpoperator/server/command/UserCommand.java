package dev.ftpoperator.server.command;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedFtpReply;
import org.apache.ftpserver.impl.ServerFtpStatistics;

/**
 * USER with MINA's replies and limits, minus two things that made it block: the user lookup (MINA
 * reads the user only to check a per-user login limit, and no user here has one; unknown names get
 * 331 all the same) and the wait for the session to close after a refusal. So it touches nothing
 * but memory and may run on the I/O thread.
 */
public final class UserCommand extends AbstractCommand {

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
      throws IOException {
    session.resetState();
    String name = request.getArgument();
    if (name == null) {
      refuse(session, context, request, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS);
      return;
    }
    if (session.isLoggedIn()) {
      if (name.equals(session.getUser().getName())) {
        session.write(
            LocalizedFtpReply.translate(
                session, request, context, FtpReply.REPLY_230_USER_LOGGED_IN, "USER", null));
      } else {
        refuse(session, context, request, FtpReply.REPLY_530_NOT_LOGGED_IN, "USER.invalid");
      }
      return;
    }
    boolean anonymous = name.equals("anonymous");
    ServerFtpStatistics stats = (ServerFtpStatistics) context.getFtpStatistics();
    if (anonymous && !context.getConnectionConfig().isAnonymousLoginEnabled()) {
      refuse(session, context, request, FtpReply.REPLY_530_NOT_LOGGED_IN, "USER.anonymous");
      return;
    }
    if (anonymous
        && stats.getCurrentAnonymousLoginNumber()
            >= context.getConnectionConfig().getMaxAnonymousLogins()) {
      refuse(
          session,
          context,
          request,
          FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
          "USER.anonymous");
      return;
    }
    int maxLogins = context.getConnectionConfig().getMaxLogins();
    if (maxLogins != 0 && stats.getCurrentLoginNumber() >= maxLogins) {
      refuse(
          session,
          context,
          request,
          FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
          "USER.login");
      return;
    }
    session.setUserArgument(name);
    session.write(
        LocalizedFtpReply.translate(
            session,
            request,
            context,
            FtpReply.REPLY_331_USER_NAME_OKAY_NEED_PASSWORD,
            anonymous ? "USER.anonymous" : "USER",
            name));
  }

  private static void refuse(
      FtpIoSession session, FtpServerContext context, FtpRequest request, int code) {
    refuse(session, context, request, code, "USER");
  }

  /** As MINA: a refused USER ends the session, here once the reply is sent. */
  private static void refuse(
      FtpIoSession session, FtpServerContext context, FtpRequest request, int code, String key) {
    session.write(LocalizedFtpReply.translate(session, request, context, code, key, null));
    session.closeOnFlush();
  }
}

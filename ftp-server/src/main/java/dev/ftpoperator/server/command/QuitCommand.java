package dev.ftpoperator.server.command;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedFtpReply;

/**
 * QUIT as MINA answers it, without waiting for the session to close (the close follows the reply
 * all the same), so it may run on the I/O thread.
 */
public final class QuitCommand extends AbstractCommand {

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
      throws IOException {
    session.resetState();
    session.write(
        LocalizedFtpReply.translate(
            session,
            request,
            context,
            FtpReply.REPLY_221_CLOSING_CONTROL_CONNECTION,
            "QUIT",
            null));
    session.closeOnFlush();
    session.getDataConnection().closeDataConnection();
  }
}

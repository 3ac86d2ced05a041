package dev.ftpoperator.server.command;

import java.io.IOException;
import java.util.OptionalInt;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * EPSV: port only, the client reuses the control connection's address, so it works behind any NAT
 * or LB.
 */
public final class EpsvCommand extends AbstractCommand {

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
      throws IOException {
    OptionalInt port = PassivePortReservation.reserve(session);
    if (port.isPresent()) {
      session.write(
          new DefaultFtpReply(229, "Entering Extended Passive Mode (|||" + port.getAsInt() + "|)"));
    }
  }
}

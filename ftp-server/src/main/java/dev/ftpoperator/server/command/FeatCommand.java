package dev.ftpoperator.server.command;

import java.io.IOException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;

/**
 * FEAT listing only what this server really does. MINA's fixed list advertises MODE Z (which our
 * data channel does not compress, so lftp's downloads would break) and AUTH TLS even when TLS is
 * off.
 */
public final class FeatCommand extends AbstractCommand {

  private final String reply;

  public FeatCommand(boolean tlsEnabled) {
    StringBuilder features = new StringBuilder("Extensions supported\n");
    for (String feature :
        new String[] {
          "SIZE",
          "MDTM",
          "MFMT",
          "REST STREAM",
          "MLST Size;Modify;Type;Perm",
          "UTF8",
          "TVFS",
          "EPSV",
          "EPRT"
        }) {
      features.append(' ').append(feature).append('\n');
    }
    if (tlsEnabled) {
      features.append(" AUTH TLS\n PBSZ\n PROT\n");
    }
    reply = features.append("End").toString();
  }

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
      throws IOException {
    session.resetState();
    session.write(new DefaultFtpReply(FtpReply.REPLY_211_SYSTEM_STATUS_REPLY, reply));
  }
}

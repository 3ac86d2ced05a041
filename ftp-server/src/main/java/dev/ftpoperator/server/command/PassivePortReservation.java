package dev.ftpoperator.server.command;

import java.util.OptionalInt;
import org.apache.ftpserver.DataConnectionException;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;

/**
 * What PASV and EPSV share: reserve a passive port, or tell the client none is free (temporary, so
 * it retries).
 */
final class PassivePortReservation {

  private PassivePortReservation() {}

  /** The reserved port, or empty after a 425 reply has been written. */
  static OptionalInt reserve(FtpIoSession session) {
    session.resetState();
    try {
      return OptionalInt.of(session.getDataConnection().initPassiveDataConnection().getPort());
    } catch (DataConnectionException e) {
      session.write(
          new DefaultFtpReply(
              FtpReply.REPLY_425_CANT_OPEN_DATA_CONNECTION,
              "No passive port free right now, try again shortly"));
      return OptionalInt.empty();
    }
  }
}

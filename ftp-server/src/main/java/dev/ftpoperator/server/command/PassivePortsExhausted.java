package dev.ftpoperator.server.command;

import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;

/** The reply when every passive port is taken: temporary, so clients retry. */
final class PassivePortsExhausted {

    private PassivePortsExhausted() {
    }

    static FtpReply reply() {
        return new DefaultFtpReply(FtpReply.REPLY_425_CANT_OPEN_DATA_CONNECTION,
                "No passive port free right now, try again shortly");
    }
}

package dev.ftpoperator.server.listing;

import dev.ftpoperator.server.files.DirectoryListing;
import java.io.IOException;
import java.util.Optional;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.impl.STAT;
import org.apache.ftpserver.command.impl.listing.ListArgument;
import org.apache.ftpserver.command.impl.listing.ListArgumentParser;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedFileActionFtpReply;

/**
 * STAT: without an argument, MINA's server status; with one, the LIST lines of that path on the
 * control connection, read by {@link DirectoryListing} and matched by {@link NamePattern} like the
 * listings of the data connection (MINA's lister backtracks on a wildcard here too).
 */
public final class StatCommand extends AbstractCommand {

  private final STAT serverStatus = new STAT();

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
      throws IOException, FtpException {
    if (request.getArgument() == null) {
      serverStatus.execute(session, context, request);
      return;
    }
    session.resetState();
    ListArgument argument;
    try {
      argument = ListArgumentParser.parse(request.getArgument());
    } catch (IllegalArgumentException e) {
      session.write(ListingCommand.wildcardOutsideTheLastName());
      return;
    }
    FtpFile file = session.getFileSystemView().getFile(argument.getFile());
    Optional<DirectoryListing> listing = DirectoryListing.of(file, true);
    if (listing.isEmpty()) {
      session.write(
          LocalizedFileActionFtpReply.translate(
              session,
              request,
              context,
              FtpReply.REPLY_450_REQUESTED_FILE_ACTION_NOT_TAKEN,
              "STAT",
              null,
              file));
      return;
    }
    String text =
        new ListingText(listing.get(), new ListingFormat.LongForm(), argument.getPattern())
            .readAll();
    int code =
        file.isDirectory() ? FtpReply.REPLY_212_DIRECTORY_STATUS : FtpReply.REPLY_213_FILE_STATUS;
    session.write(
        LocalizedFileActionFtpReply.translate(session, request, context, code, "STAT", text, file));
  }
}

package dev.ftpoperator.server.listing;

import dev.ftpoperator.server.files.DirectoryListing;
import dev.ftpoperator.server.files.ListingMemory;
import dev.ftpoperator.server.files.ListingTooLargeException;
import java.io.IOException;
import java.net.SocketException;
import java.util.Optional;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.impl.listing.ListArgument;
import org.apache.ftpserver.command.impl.listing.ListArgumentParser;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.LocalizedDataTransferFtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LIST, NLST and MLSD: the listing goes out on the data connection as it is formatted, and a
 * wildcard matches in linear time ({@link NamePattern}). MINA's own commands hold the whole
 * listing's text in memory and match wildcards by backtracking. A directory is read before the data
 * connection opens, within the server's {@link ListingMemory}: a listing over it gets 451.
 */
public final class ListingCommand extends AbstractCommand {

  /** The session attribute in which MINA's OPTS MLST keeps the facts the client selected. */
  private static final String MLST_FACTS = "MLST.types";

  private static final Logger LOG = LoggerFactory.getLogger(ListingCommand.class);

  /** Which listing a command sends. */
  public enum Kind {
    LIST,
    NLST,
    MLSD
  }

  private final Kind kind;
  private final ListingMemory memory;

  public ListingCommand(Kind kind, ListingMemory memory) {
    this.kind = kind;
    this.memory = memory;
  }

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
      throws IOException, FtpException {
    try {
      session.resetState();
      ListArgument argument;
      try {
        argument = ListArgumentParser.parse(request.getArgument());
      } catch (IllegalArgumentException e) {
        session.write(wildcardOutsideTheLastName());
        return;
      }
      FtpFile file = session.getFileSystemView().getFile(argument.getFile());
      ListingFormat format = format(session, argument);
      Optional<DirectoryListing> read;
      try {
        read = DirectoryListing.of(file, format.needsAttributes(), memory);
      } catch (ListingTooLargeException e) {
        session.write(tooLarge(session, e));
        return;
      }
      if (read.isEmpty()) {
        // MINA's text for this reply is LIST's
        session.write(
            LocalizedDataTransferFtpReply.translate(
                session,
                request,
                context,
                FtpReply.REPLY_450_REQUESTED_FILE_ACTION_NOT_TAKEN,
                "LIST",
                null,
                file));
        return;
      }
      long sent;
      try (DirectoryListing listing = read.get()) {
        reply(session, context, request, FtpReply.REPLY_150_FILE_STATUS_OKAY, file);
        DataConnection connection;
        try {
          connection = session.getDataConnection().openConnection();
        } catch (Exception e) {
          LOG.debug("no data connection for {}", kind, e);
          reply(session, context, request, FtpReply.REPLY_425_CANT_OPEN_DATA_CONNECTION, file);
          return;
        }
        sent =
            connection.transferToClient(
                session.getFtpletSession(),
                new ListingText(listing, format, argument.getPattern()));
      } catch (SocketException e) {
        LOG.debug("{} aborted", kind, e);
        reply(
            session, context, request, FtpReply.REPLY_426_CONNECTION_CLOSED_TRANSFER_ABORTED, file);
        return;
      } catch (IOException e) {
        LOG.debug("{} failed", kind, e);
        reply(
            session,
            context,
            request,
            FtpReply.REPLY_551_REQUESTED_ACTION_ABORTED_PAGE_TYPE_UNKNOWN,
            file);
        return;
      }
      session.write(
          LocalizedDataTransferFtpReply.translate(
              session,
              request,
              context,
              FtpReply.REPLY_226_CLOSING_DATA_CONNECTION,
              kind.name(),
              null,
              file,
              sent));
    } finally {
      session.getDataConnection().closeDataConnection();
    }
  }

  /** The reply to a listing that would take more of the listing memory than is free. */
  static FtpReply tooLarge(FtpIoSession session, ListingTooLargeException e) {
    LOG.warn("refused a listing to {}: {}", session.getRemoteAddress(), e.getMessage());
    return new DefaultFtpReply(FtpReply.REPLY_451_REQUESTED_ACTION_ABORTED, e.getMessage());
  }

  /** The reply to a path that MINA's parser refuses: a wildcard before the last name. */
  static FtpReply wildcardOutsideTheLastName() {
    return new DefaultFtpReply(
        FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
        "A wildcard may only stand in the last name of the path");
  }

  private ListingFormat format(FtpIoSession session, ListArgument argument) {
    return switch (kind) {
      case LIST -> new ListingFormat.LongForm();
      case NLST ->
          argument.hasOption('l') ? new ListingFormat.LongForm() : new ListingFormat.NamesOnly();
      case MLSD -> ListingFormat.Facts.of((String[]) session.getAttribute(MLST_FACTS));
    };
  }

  private void reply(
      FtpIoSession session, FtpServerContext context, FtpRequest request, int code, FtpFile file) {
    session.write(
        LocalizedDataTransferFtpReply.translate(
            session, request, context, code, kind.name(), null, file));
  }
}

package dev.ftpoperator.server.listing;

import dev.ftpoperator.server.files.DirectoryListing;
import dev.ftpoperator.server.files.ListingMemory;
import dev.ftpoperator.server.files.ListingTooLargeException;
import java.io.IOException;
import java.time.Duration;
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
import org.apache.mina.core.future.WriteFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STAT: without an argument, MINA's server status; with one, the LIST lines of that path on the
 * control connection, read by {@link DirectoryListing} and matched by {@link NamePattern} like the
 * listings of the data connection (MINA's lister backtracks on a wildcard here too).
 *
 * <p>The reply is the one MINA sent, but written a chunk of lines at a time, each once the client
 * has taken the one before: MINA built the whole text of a large directory in memory, and it stayed
 * queued in the session for as long as the client would not read it. A client that takes nothing
 * for the transfer stall timeout loses its session, as a stalled transfer does.
 */
public final class StatCommand extends AbstractCommand {

  private static final Logger LOG = LoggerFactory.getLogger(StatCommand.class);

  private final STAT serverStatus = new STAT();
  private final Duration stallTimeout;
  private final ListingMemory memory;

  public StatCommand(Duration stallTimeout, ListingMemory memory) {
    this.stallTimeout = stallTimeout;
    this.memory = memory;
  }

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
    Optional<DirectoryListing> read;
    try {
      read = DirectoryListing.of(file, true, memory);
    } catch (ListingTooLargeException e) {
      session.write(ListingCommand.tooLarge(session, e));
      return;
    }
    if (read.isEmpty()) {
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
    int code =
        file.isDirectory() ? FtpReply.REPLY_212_DIRECTORY_STATUS : FtpReply.REPLY_213_FILE_STATUS;
    // MINA's reply with no lines is its first line and its last: the lines go in between
    String empty =
        LocalizedFileActionFtpReply.translate(session, request, context, code, "STAT", "", file)
            .toString();
    int firstLineEnd = empty.indexOf("\r\n") + 2;
    try (DirectoryListing listing = read.get()) {
      ListingText text =
          new ListingText(listing, new ListingFormat.LongForm(), argument.getPattern());
      String lines = empty.substring(0, firstLineEnd);
      while (lines != null) {
        if (!writeTaken(session, new ReplyText(code, lines))) {
          return;
        }
        lines = text.nextLines();
      }
    }
    session.write(new ReplyText(code, empty.substring(firstLineEnd)));
  }

  /** Writes {@code reply} and waits until the client took it; false, session closed, if not. */
  private boolean writeTaken(FtpIoSession session, FtpReply reply) {
    WriteFuture written = session.write(reply);
    // a timeout of 0 turns the stall limit off, as for transfers: a closed session still ends it
    if (stallTimeout.isZero()) {
      written.awaitUninterruptibly();
    } else {
      written.awaitUninterruptibly(stallTimeout.toMillis());
    }
    if (written.isWritten()) {
      return true;
    }
    if (!session.isClosing()) {
      LOG.warn(
          "closing session from {}: a STAT reply unread for {} s",
          session.getRemoteAddress(),
          stallTimeout.toSeconds());
      session.closeNow();
    }
    return false;
  }

  /** Part of a reply's text, written as it is: MINA's replies would re-split it into lines. */
  private record ReplyText(int code, String text, long sentTime) implements FtpReply {

    ReplyText(int code, String text) {
      this(code, text, System.currentTimeMillis());
    }

    @Override
    public int getCode() {
      return code;
    }

    @Override
    public String getMessage() {
      return text;
    }

    @Override
    public long getSentTime() {
      return sentTime;
    }

    @Override
    public boolean isPositive() {
      return code < 300;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}

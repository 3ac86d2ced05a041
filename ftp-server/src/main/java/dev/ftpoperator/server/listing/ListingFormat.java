package dev.ftpoperator.server.listing;

import dev.ftpoperator.server.files.DirectoryListing;
import java.util.Locale;
import org.apache.ftpserver.util.DateUtils;

/**
 * How a listing writes one entry: the lines of LIST, NLST and MLSD, as MINA wrote them but for
 * LIST's mode and link count.
 */
sealed interface ListingFormat {

  void append(DirectoryListing listing, int entry, StringBuilder lines);

  /** Whether the lines show more of an entry than its name and whether it is a directory. */
  default boolean needsAttributes() {
    return true;
  }

  /**
   * LIST's {@code ls -l} line. Its mode column holds the file's rwx bits, as {@code ls -l}, vsftpd
   * and ProFTPD show them (but no set-id or sticky bit: the JDK does not give them). MINA's column
   * said what this server may do, at two access calls per entry, half a large listing's time;
   * MLSD's perm fact still says what the user may do.
   */
  record LongForm() implements ListingFormat {

    private static final String SIZE_PADDING = "            ";

    private static final String RWX = "rwxrwxrwx";

    @Override
    public void append(DirectoryListing listing, int entry, StringBuilder lines) {
      appendMode(listing, entry, lines);
      lines
          .append("   ")
          .append(listing.linkCount(entry))
          .append(' ')
          .append(listing.ownerName())
          .append(' ')
          .append(listing.groupName())
          .append(' ');
      String size = String.valueOf(listing.fileSize(entry));
      if (size.length() < SIZE_PADDING.length()) {
        lines.append(SIZE_PADDING, size.length(), SIZE_PADDING.length());
      }
      lines
          .append(size)
          .append(' ')
          .append(DateUtils.getUnixDate(listing.lastModified(entry)))
          .append(' ')
          .append(listing.name(entry))
          .append("\r\n");
    }

    /** The ten characters of {@code ls -l}: d for a directory, then rwx for owner, group, other. */
    private static void appendMode(DirectoryListing listing, int entry, StringBuilder lines) {
      int mode = listing.mode(entry);
      lines.append(listing.isDirectory(entry) ? 'd' : '-');
      for (int i = 0; i < 9; i++) {
        lines.append((mode & (0400 >> i)) == 0 ? '-' : RWX.charAt(i));
      }
    }
  }

  /** NLST's bare names. */
  record NamesOnly() implements ListingFormat {

    @Override
    public boolean needsAttributes() {
      return false;
    }

    @Override
    public void append(DirectoryListing listing, int entry, StringBuilder lines) {
      lines.append(listing.name(entry)).append("\r\n");
    }
  }

  /**
   * MLSD's facts (RFC 3659), those OPTS MLST selected in the order given: Size, Modify and Type
   * unless the client chose; any other name stands for Perm.
   */
  record Facts(String[] selected) implements ListingFormat {

    private static final String[] DEFAULT = {"Size", "Modify", "Type"};

    /** The facts OPTS MLST left in the session, or null for the default ones. */
    static Facts of(String[] selected) {
      return new Facts(selected == null ? DEFAULT : selected.clone());
    }

    @Override
    public void append(DirectoryListing listing, int entry, StringBuilder lines) {
      boolean file = listing.isFile(entry);
      boolean directory = listing.isDirectory(entry);
      for (String fact : selected) {
        switch (fact.toUpperCase(Locale.ROOT)) {
          case "SIZE" -> lines.append("Size=").append(listing.fileSize(entry)).append(';');
          case "MODIFY" ->
              lines
                  .append("Modify=")
                  .append(DateUtils.getFtpDate(listing.lastModified(entry)))
                  .append(';');
          case "TYPE" -> {
            if (file) {
              lines.append("Type=file;");
            } else if (directory) {
              lines.append("Type=dir;");
            }
          }
          default -> {
            lines.append("Perm=");
            if (listing.isReadable(entry)) {
              lines.append(file ? "r" : directory ? "el" : "");
            }
            if (listing.isWritable(entry)) {
              lines.append(file ? "adfw" : directory ? "fpcm" : "");
            }
            lines.append(';');
          }
        }
      }
      lines.append(' ').append(listing.name(entry)).append("\r\n");
    }
  }
}

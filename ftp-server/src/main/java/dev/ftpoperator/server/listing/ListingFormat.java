package dev.ftpoperator.server.listing;

import dev.ftpoperator.server.files.DirectoryListing;
import java.util.Locale;

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
   * LIST's {@code ls -l} line. Its mode and link count columns are the file's, as {@code ls -l},
   * vsftpd and ProFTPD show them. MINA's mode column said what this server may do, at two access
   * calls per entry, half a large listing's time; MLSD's perm fact still says what the user may do.
   */
  record LongForm(LongFormDate date) implements ListingFormat {

    private static final String SIZE_PADDING = "            ";

    private static final String RWX = "rwxrwxrwx";

    /** The set-user-id bit; set-group-id and sticky follow it, as x does r and w. */
    private static final int SET_USER_ID = 04000;

    /** The lines of a listing made now. */
    LongForm() {
      this(LongFormDate.now());
    }

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
      lines.append(size).append(' ');
      date.append(listing.lastModified(entry), lines);
      lines.append(' ').append(listing.name(entry)).append("\r\n");
    }

    /** The ten characters of {@code ls -l}: the type, then rwx for owner, group and other. */
    private static void appendMode(DirectoryListing listing, int entry, StringBuilder lines) {
      int mode = listing.mode(entry);
      lines.append(typeLetter(mode));
      for (int i = 0; i < 9; i++) {
        char letter = (mode & (0400 >> i)) == 0 ? '-' : RWX.charAt(i);
        if (i % 3 == 2 && (mode & (SET_USER_ID >> (i / 3))) != 0) {
          // ls shows a set-id or sticky bit in place of x: lower case when x is set too
          char special = i == 8 ? 't' : 's';
          letter = letter == 'x' ? special : Character.toUpperCase(special);
        }
        lines.append(letter);
      }
    }

    /** The first letter of {@code ls -l}, from st_mode's type bits (a listed link is followed). */
    private static char typeLetter(int mode) {
      return switch (mode & 0170000) {
        case 0040000 -> 'd';
        case 0120000 -> 'l';
        case 0010000 -> 'p';
        case 0140000 -> 's';
        case 0020000 -> 'c';
        case 0060000 -> 'b';
        default -> '-';
      };
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
          case "MODIFY" -> {
            lines.append("Modify=");
            ModifyFact.append(listing.lastModified(entry), lines);
            lines.append(';');
          }
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

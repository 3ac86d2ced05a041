package dev.ftpoperator.server.data;

/**
 * ASCII-mode line-end conversion, applied buffer by buffer (remembering the last byte across
 * buffers). On the wire lines end with CRLF; on disk with LF.
 */
final class LineEnds {

  private final boolean toNetwork;
  private byte last;

  private LineEnds(boolean toNetwork) {
    this.toNetwork = toNetwork;
  }

  /** Binary mode: no conversion (the copy loop writes buffers as they are). */
  static LineEnds none() {
    return null;
  }

  /** Disk to wire: a bare LF becomes CRLF. */
  static LineEnds toNetwork() {
    return new LineEnds(true);
  }

  /** Wire to disk: CRLF and a lone CR become LF. */
  static LineEnds fromNetwork() {
    return new LineEnds(false);
  }

  /**
   * Converts {@code length} bytes of {@code in} into {@code out} (twice the size) and returns the
   * converted length.
   */
  int convert(byte[] in, int length, byte[] out) {
    int written = 0;
    for (int i = 0; i < length; i++) {
      byte b = in[i];
      if (toNetwork) {
        if (b == '\n' && last != '\r') {
          out[written++] = '\r';
        }
        out[written++] = b;
      } else if (b == '\r') {
        out[written++] = '\n';
      } else if (b != '\n' || last != '\r') {
        out[written++] = b;
      }
      last = b;
    }
    return written;
  }
}

package dev.ftpoperator.server.data;

/**
 * ASCII-mode line-end conversion, applied buffer by buffer (remembering the last byte across buffers).
 * On the wire lines end with CRLF; on disk with LF.
 */
abstract class LineEnds {

    protected byte last;

    /** Converts {@code length} bytes of {@code in} into {@code out} (twice the size) and returns the converted length. */
    abstract int convert(byte[] in, int length, byte[] out);

    /** Binary mode: never called, the copy loop writes the buffer as is. */
    static LineEnds none() {
        return null;
    }

    /** Disk to wire: a bare LF becomes CRLF. */
    static LineEnds toNetwork() {
        return new LineEnds() {
            @Override
            int convert(byte[] in, int length, byte[] out) {
                int written = 0;
                for (int i = 0; i < length; i++) {
                    byte b = in[i];
                    if (b == '\n' && last != '\r') {
                        out[written++] = '\r';
                    }
                    out[written++] = b;
                    last = b;
                }
                return written;
            }
        };
    }

    /** Wire to disk: CRLF and a lone CR become LF. */
    static LineEnds fromNetwork() {
        return new LineEnds() {
            @Override
            int convert(byte[] in, int length, byte[] out) {
                int written = 0;
                for (int i = 0; i < length; i++) {
                    byte b = in[i];
                    if (b == '\r') {
                        out[written++] = '\n';
                    } else if (b != '\n' || last != '\r') {
                        out[written++] = b;
                    }
                    last = b;
                }
                return written;
            }
        };
    }
}

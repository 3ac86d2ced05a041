package dev.ftpoperator.server.session;

import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.apache.mina.filter.codec.RecoverableProtocolDecoderException;

/**
 * Splits the control connection into command lines at LF, dropping one CR before it. Replaces
 * MINA's TextLineDecoder, which also splits at a bare CR ("MKD a\rb" would make a directory "a" and
 * run a command "b") and cuts a line at NUL ("MKD a\0b" makes "a"): here both stay in the line for
 * {@link CommandScreen} to refuse. A line longer than the limit, with or without its end, is
 * dropped and reported as MINA's decoder does, and the session closes; nothing beyond the limit
 * plus one read is ever buffered.
 */
final class CommandLineDecoder extends CumulativeProtocolDecoder {

  private final int maxLineBytes;

  CommandLineDecoder(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out)
      throws Exception {
    int start = in.position();
    for (int i = start; i < in.limit(); i++) {
      if (in.get(i) == '\n') {
        int length = i - start;
        if (length > maxLineBytes + 1) {
          in.position(i + 1);
          throw new RecoverableProtocolDecoderException("command line too long");
        }
        if (length > 0 && in.get(i - 1) == '\r') {
          length--;
        }
        byte[] line = new byte[length];
        in.get(line);
        in.position(i + 1);
        out.write(new String(line, StandardCharsets.UTF_8));
        return true;
      }
    }
    if (in.remaining() > maxLineBytes + 1) {
      in.position(in.limit());
      throw new RecoverableProtocolDecoderException("command line too long");
    }
    return false;
  }
}

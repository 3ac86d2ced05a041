package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineEndsTest {

  private static String run(LineEnds lineEnds, String... chunks) {
    StringBuilder result = new StringBuilder();
    for (String chunk : chunks) {
      byte[] in = chunk.getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[in.length * 2];
      result.append(
          new String(out, 0, lineEnds.convert(in, in.length, out), StandardCharsets.US_ASCII));
    }
    return result.toString();
  }

  @Test
  void toTheNetworkBareLineFeedsBecomeCrlfAndExistingCrlfStays() {
    assertThat(run(LineEnds.toNetwork(), "a\nb\r\nc\n")).isEqualTo("a\r\nb\r\nc\r\n");
  }

  @Test
  void fromTheNetworkCrlfAndLoneCrBecomeLineFeeds() {
    assertThat(run(LineEnds.fromNetwork(), "a\r\nb\rc\n")).isEqualTo("a\nb\nc\n");
  }

  @Test
  void aCrlfSplitAcrossBuffersIsStillOneLineEnd() {
    assertThat(run(LineEnds.fromNetwork(), "a\r", "\nb")).isEqualTo("a\nb");
    assertThat(run(LineEnds.toNetwork(), "a\r", "\nb")).isEqualTo("a\r\nb");
  }
}

package dev.ftpoperator.server.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.ftpserver.util.DateUtils;
import org.junit.jupiter.api.Test;

/** MLSD's Modify fact is MINA's text, without a calendar per entry. */
class ModifyFactTest {

  @Test
  void everyTimeGetsTheTextMinasDateUtilsWroteInUtc() {
    Random random = new Random(7);
    long year3000 = 32_503_680_000_000L;
    for (int i = 0; i < 50_000; i++) {
      long millis = (long) (random.nextDouble() * year3000);
      assertThat(text(millis)).as("%d", millis).isEqualTo(DateUtils.getFtpDate(millis));
    }
  }

  @Test
  void theEdgesOfADayAndTimesBefore1970AreMinasToo() {
    for (long millis : new long[] {0, -1, 86_399_999, 86_400_000, -86_400_000L * 365 * 100}) {
      assertThat(text(millis)).as("%d", millis).isEqualTo(DateUtils.getFtpDate(millis));
    }
    assertThat(text(1_234_567_890_123L)).isEqualTo("20090213233130.123");
  }

  private static String text(long millis) {
    StringBuilder line = new StringBuilder();
    ModifyFact.append(millis, line);
    return line.toString();
  }
}

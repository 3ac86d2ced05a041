package dev.ftpoperator.server.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.apache.ftpserver.util.DateUtils;
import org.junit.jupiter.api.Test;

/** LIST's date column is MINA's text, without a calendar per entry. */
class LongFormDateTest {

  private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;
  private static final long SIX_MONTHS_MILLIS = 183 * DAY_MILLIS;

  @Test
  void everyTimeGetsTheTextMinasDateUtilsWroteInTheServersZone() {
    long now = System.currentTimeMillis();
    LongFormDate date = new LongFormDate(now, ZoneId.systemDefault());
    Random random = new Random(13);
    int recent = 0;
    for (int i = 0; i < 20_000; i++) {
      long millis = now + (long) ((random.nextDouble() - 0.5) * 6 * 365 * DAY_MILLIS);
      if (Math.abs(Math.abs(now - millis) - SIX_MONTHS_MILLIS) < 60_000) {
        continue; // MINA reads the clock again: too close to the edge to agree on which side
      }
      recent += Math.abs(now - millis) <= SIX_MONTHS_MILLIS ? 1 : 0;
      assertThat(text(date, millis)).as("%d", millis).isEqualTo(DateUtils.getUnixDate(millis));
    }
    assertThat(recent).as("both forms came up").isBetween(1_000, 19_000);
  }

  @Test
  void aTimeBefore1970IsTwelveDashes() {
    assertThat(text(LongFormDate.now(), -1)).isEqualTo("------------");
  }

  @Test
  void localTimesFollowTheZonesDaylightSavingTime() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    long summer = Instant.parse("2026-07-04T22:30:00Z").toEpochMilli();
    long winter = Instant.parse("2026-12-31T23:05:00Z").toEpochMilli();
    LongFormDate date =
        new LongFormDate(Instant.parse("2026-10-01T00:00:00Z").toEpochMilli(), berlin);

    assertThat(text(date, summer)).isEqualTo("Jul  5 00:30");
    assertThat(text(date, winter)).isEqualTo("Jan  1 00:05");
    DateTimeFormatter old = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.ENGLISH);
    long longAgo = Instant.parse("2020-02-29T23:59:59Z").toEpochMilli();
    assertThat(text(date, longAgo))
        .isEqualTo(old.format(Instant.ofEpochMilli(longAgo).atZone(berlin)))
        .isEqualTo("Mar  1  2020");
  }

  private static String text(LongFormDate date, long millis) {
    StringBuilder line = new StringBuilder();
    date.append(millis, line);
    return line.toString();
  }
}

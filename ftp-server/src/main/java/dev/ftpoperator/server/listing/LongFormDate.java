package dev.ftpoperator.server.listing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The date column of LIST's {@code ls -l} lines, in the server's time zone: {@code MMM dd HH:mm}
 * for a time within six months of the listing, {@code MMM dd yyyy} otherwise, twelve dashes for a
 * time before 1970. These are the texts of MINA's {@code DateUtils.getUnixDate}, which made a
 * calendar and read the clock for every entry; here the clock is read once per listing, and the
 * month and day once per day the entries fall on (one, for a directory written at once).
 */
final class LongFormDate {

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  /** How far from now a time shows its clock time rather than its year: 183 days, as MINA. */
  private static final long SIX_MONTHS_MILLIS = 183L * 24 * 60 * 60 * 1000;

  private static final int SECONDS_PER_DAY = 24 * 60 * 60;

  private final long nowMillis;
  private final ZoneRules zone;

  /** The local day {@link #monthAndDay} was made for. */
  private long day = Long.MIN_VALUE;

  /** "MMM dd" of {@link #day}, and its year. */
  private String monthAndDay;

  private int year;

  LongFormDate(long nowMillis, ZoneId zone) {
    this.nowMillis = nowMillis;
    this.zone = zone.getRules();
  }

  /** For a listing made now, in the JVM's time zone. */
  static LongFormDate now() {
    return new LongFormDate(System.currentTimeMillis(), ZoneId.systemDefault());
  }

  void append(long millis, StringBuilder lines) {
    if (millis < 0) {
      lines.append("------------");
      return;
    }
    long localSeconds =
        Math.floorDiv(millis, 1000)
            + zone.getOffset(Instant.ofEpochMilli(millis)).getTotalSeconds();
    long localDay = Math.floorDiv(localSeconds, SECONDS_PER_DAY);
    if (localDay != day) {
      LocalDate date = LocalDate.ofEpochDay(localDay);
      int dayOfMonth = date.getDayOfMonth();
      monthAndDay = MONTHS[date.getMonthValue() - 1] + (dayOfMonth < 10 ? "  " : " ") + dayOfMonth;
      year = date.getYear();
      day = localDay;
    }
    lines.append(monthAndDay).append(' ');
    if (Math.abs(nowMillis - millis) > SIX_MONTHS_MILLIS) {
      lines.append(' ').append(year);
      return;
    }
    int secondOfDay = (int) Math.floorMod(localSeconds, SECONDS_PER_DAY);
    appendTwoDigits(secondOfDay / 3600, lines);
    lines.append(':');
    appendTwoDigits(secondOfDay / 60 % 60, lines);
  }

  private static void appendTwoDigits(int value, StringBuilder lines) {
    lines.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}

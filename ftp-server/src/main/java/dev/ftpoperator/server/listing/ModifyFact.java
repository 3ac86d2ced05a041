package dev.ftpoperator.server.listing;

import java.time.LocalDate;

/**
 * The value of MLSD's and MLST's Modify fact (RFC 3659's time-val): {@code yyyyMMddHHmmss.SSS} in
 * UTC, the text of MINA's {@code DateUtils.getFtpDate}, which made a calendar per entry.
 */
final class ModifyFact {

  private static final long MILLIS_PER_DAY = 24L * 60 * 60 * 1000;

  private ModifyFact() {}

  static void append(long millis, StringBuilder line) {
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(millis, MILLIS_PER_DAY));
    int millisOfDay = (int) Math.floorMod(millis, MILLIS_PER_DAY);
    line.append(date.getYear());
    appendTwoDigits(date.getMonthValue(), line);
    appendTwoDigits(date.getDayOfMonth(), line);
    appendTwoDigits(millisOfDay / 3_600_000, line);
    appendTwoDigits(millisOfDay / 60_000 % 60, line);
    appendTwoDigits(millisOfDay / 1000 % 60, line);
    int milli = millisOfDay % 1000;
    line.append('.')
        .append((char) ('0' + milli / 100))
        .append((char) ('0' + milli / 10 % 10))
        .append((char) ('0' + milli % 10));
  }

  private static void appendTwoDigits(int value, StringBuilder line) {
    line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}

package io.logrouter.query;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * The time values of the query API, read by the same parser as every receiver's timestamps
 * ({@link io.logrouter.event.Timestamps#parseIso}): a date ({@code 2018-1-1}, UTC midnight) or an
 * ISO-8601 / RFC 3339 time ({@code 2024-10-08T20:00:00.5+02:00}, {@code 2024-10-08 20:00+0530}). Returned:
 * UTC with exactly six fractional digits, the precision of the DATETIME(6) columns.
 */
final class Timestamps {
  private static final DateTimeFormatter RFC_3339_MICROS = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
      .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
      .appendLiteral('Z')
      .toFormatter(Locale.ROOT);
  /** The range of the DATETIME columns (MySQL's documented range; MariaDB's is wider). */
  static final LocalDateTime MIN = LocalDateTime.of(1000, 1, 1, 0, 0);
  static final LocalDateTime MAX = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000);

  private Timestamps() {}

  /** A parsed value; {@code dateOnly} lets {@code eq '2018-1-1'} mean the whole UTC day. */
  record Parsed(LocalDateTime utc, boolean dateOnly) {}

  static String format(LocalDateTime utc) {
    return RFC_3339_MICROS.format(utc);
  }

  /**
   * A UTC time as the string bound for a DATETIME(6) comparison. Not setObject(LocalDateTime):
   * Connector/J drops the fraction when the server announces itself as "5.5.5-10.11…-MariaDB"
   * (it takes that for MySQL 5.5, which had no fractional seconds), and a cursor or a bound without
   * its microseconds would repeat or skip rows. MySQL and MariaDB both convert the string exactly.
   */
  static String sqlValue(LocalDateTime utc) {
    long micros = utc.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + utc.getNano() / 1_000;
    return io.logrouter.event.Timestamps.toSqlText(micros);
  }

  /**
   * Parses with the one timestamp parser every receiver uses ({@link io.logrouter.event.Timestamps#parseIso}),
   * so a query accepts exactly the forms ingest accepts.
   *
   * @throws DateTimeException with a message saying what was wrong
   */
  static Parsed parse(String text) {
    io.logrouter.event.Timestamps.Failure why = new io.logrouter.event.Timestamps.Failure();
    long micros = io.logrouter.event.Timestamps.parseIso(text, why);
    if (micros == Long.MIN_VALUE) {
      throw new DateTimeException(why.describe(text)
          + " (a date like 2018-1-1 or an RFC 3339 time like 2024-10-08T20:00:00Z)");
    }
    LocalDateTime utc = io.logrouter.event.Timestamps.toUtcDateTime(micros);
    // 9999-12-31T23:00-05:00 is year 10000 in UTC, whose 4-digit SQL text would silently be year 0000.
    if (!io.logrouter.event.Timestamps.inRange(micros)) {
      throw new DateTimeException("'" + text + "' is " + utc + " UTC, outside the stored range "
          + "1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
    }
    return new Parsed(utc, io.logrouter.event.Timestamps.isDateOnly(text));
  }
}

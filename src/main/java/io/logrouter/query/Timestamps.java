package io.logrouter.query;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The time values of the query API. Accepted: a date ({@code 2018-1-1}, UTC midnight) or an
 * RFC 3339 time ({@code 2024-10-08T20:00:00.5+02:00}; {@code t}, {@code z} and a space for the
 * {@code T} as RFC 3339 allows; no offset means UTC, the zone everything is stored in). Returned:
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
  /** Nine digits is nanoseconds, the finest fraction java.time holds; more is not a time. */
  private static final int MAX_FRACTION_DIGITS = 9;

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

  /** @throws DateTimeException with a message saying what was wrong */
  static Parsed parse(String text) {
    Scanner s = new Scanner(text);
    int year = s.digits(4, 4, "a 4-digit year");
    s.expect('-');
    int month = s.digits(1, 2, "a month");
    s.expect('-');
    LocalDate date = LocalDate.of(year, month, s.digits(1, 2, "a day"));
    if (s.atEnd()) {
      return new Parsed(inRange(date.atStartOfDay(), text), true);
    }
    char separator = s.next();
    if (separator != 'T' && separator != 't' && separator != ' ') {
      throw s.error("'T' between date and time");
    }
    LocalDateTime local = LocalDateTime.of(date, time(s));
    ZoneOffset offset = s.atEnd() ? ZoneOffset.UTC : offset(s);
    if (!s.atEnd()) {
      throw s.error("end of the time");
    }
    // DATETIME(6) keeps microseconds: finer digits are cut, as MySQL itself would round them away.
    LocalDateTime utc = local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    return new Parsed(inRange(utc.truncatedTo(ChronoUnit.MICROS), text), false);
  }

  /**
   * Refuses a time outside what DATETIME(6) holds: 9999-12-31T23:00-05:00 is year 10000 in UTC,
   * whose 4-digit SQL text would silently be year 0000.
   */
  private static LocalDateTime inRange(LocalDateTime utc, String text) {
    if (utc.isBefore(MIN) || utc.isAfter(MAX)) {
      throw new DateTimeException("'" + text + "' is " + utc + " UTC, outside the stored range "
          + "1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
    }
    return utc;
  }

  private static LocalTime time(Scanner s) {
    int hour = s.digits(2, 2, "a 2-digit hour");
    s.expect(':');
    int minute = s.digits(2, 2, "2-digit minutes");
    if (!s.accept(':')) {
      return LocalTime.of(hour, minute);
    }
    int second = s.digits(2, 2, "2-digit seconds");
    int nanos = 0;
    if (s.accept('.')) {
      int start = s.pos;
      int fraction = s.digits(1, MAX_FRACTION_DIGITS, "fraction digits");
      nanos = fraction * (int) Math.pow(10, MAX_FRACTION_DIGITS - (s.pos - start));
    }
    return LocalTime.of(hour, minute, second, nanos);
  }

  private static ZoneOffset offset(Scanner s) {
    if (s.accept('Z') || s.accept('z')) {
      return ZoneOffset.UTC;
    }
    char sign = s.next();
    if (sign != '+' && sign != '-') {
      throw s.error("an offset (Z or +hh:mm)");
    }
    int hours = s.digits(2, 2, "offset hours");
    s.expect(':');
    int minutes = s.digits(2, 2, "offset minutes");
    int signum = sign == '-' ? -1 : 1;
    return ZoneOffset.ofHoursMinutes(signum * hours, signum * minutes);
  }

  /** Reads a short value left to right; every error names the position and what was expected. */
  private static final class Scanner {
    private final String text;
    private int pos;

    Scanner(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    char next() {
      if (atEnd()) {
        throw error("more characters");
      }
      return text.charAt(pos++);
    }

    boolean accept(char c) {
      if (!atEnd() && text.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!accept(c)) {
        throw error("'" + c + "'");
      }
    }

    int digits(int min, int max, String what) {
      int start = pos;
      int value = 0;
      while (!atEnd() && pos - start < max && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        value = value * 10 + (text.charAt(pos++) - '0');
      }
      if (pos - start < min) {
        throw error(what);
      }
      return value;
    }

    DateTimeException error(String expected) {
      return new DateTimeException("expected " + expected + " at character " + pos
          + " of '" + text + "' (a date like 2018-1-1 or an RFC 3339 time like 2024-10-08T20:00:00Z)");
    }
  }
}

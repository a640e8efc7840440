package io.logrouter.event;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Event time parsing to microseconds since the epoch (UTC), within what DATETIME(6) can hold. */
public final class Timestamps {
  /** 1000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z: the range of MySQL's DATETIME. */
  static final long MIN_MICROS = -30_610_224_000_000_000L;
  static final long MAX_MICROS = 253_402_300_799_999_999L;

  private Timestamps() {}

  /**
   * Why a text is not a timestamp: the 0-based character where parsing stopped and what was expected
   * there. Filled only when the caller asks (the query API's 400); ingest passes none.
   */
  public static final class Failure {
    int position;
    String expected;

    /** @return e.g. "expected a month at character 5 of '2018-13-1'" */
    public String describe(String text) {
      return "expected " + expected + " at character " + position + " of '" + text + "'";
    }
  }

  /**
   * Parses ISO-8601 / RFC 3339 to micros since the epoch (UTC): THE timestamp rules of every receiver
   * and of the query API. Accepted: {@code YYYY-M[M]-D[D]} (midnight UTC; one-digit month and day as
   * in {@code 2018-1-1}), optionally followed by {@code T}, {@code t} or a space and
   * {@code HH:MM[:SS[.f{1,9}]]}, optionally followed by {@code Z}, {@code z}, {@code ±HH:MM},
   * {@code ±HHMM} or {@code ±HH} (at most 18:00); no offset means UTC. Impossible dates (Feb 30,
   * hour 24) are invalid, never clamped; digits past microseconds are cut, as DATETIME(6) keeps six.
   *
   * <p>Hand-written because it runs for nearly every event on the ingest path: a java.time
   * formatter with optional sections cost about 16% of ingest CPU in the profile (BENCHMARKS.md).
   *
   * @return micros since the epoch, or {@link Long#MIN_VALUE} when {@code text} is not a timestamp
   */
  public static long parseIso(String text) {
    return parseIso(text, null);
  }

  /** As {@link #parseIso(String)}; on failure fills {@code why} (when not null) with where and what. */
  public static long parseIso(String text, Failure why) {
    int n = text.length();
    int year = digits(text, 0, 4);
    if (year < 0) {
      return fail(why, 0, "a 4-digit year");
    }
    if (n == 4 || text.charAt(4) != '-') {
      return fail(why, 4, "'-'");
    }
    int monthDigits = digitRun(text, 5);
    int month = monthDigits == 0 ? -1 : digits(text, 5, monthDigits);
    if (month < 1 || month > 12) {
      return fail(why, 5, "a month");
    }
    int i = 5 + monthDigits;
    if (i == n || text.charAt(i) != '-') {
      return fail(why, i, "'-'");
    }
    int dayDigits = digitRun(text, ++i);
    int day = dayDigits == 0 ? -1 : digits(text, i, dayDigits);
    if (day < 1 || day > daysInMonth(year, month)) {
      return fail(why, i, "a day of that month");
    }
    i += dayDigits;
    long seconds = epochDay(year, month, day) * 86_400L;
    if (i == n) {
      return seconds * 1_000_000L;
    }
    char sep = text.charAt(i);
    if (sep != 'T' && sep != 't' && sep != ' ') {
      return fail(why, i, "'T' between date and time");
    }
    int hour = digits(text, ++i, 2);
    if (hour < 0 || hour > 23) {
      return fail(why, i, "a 2-digit hour");
    }
    i += 2;
    if (i == n || text.charAt(i) != ':') {
      return fail(why, i, "':'");
    }
    int minute = digits(text, ++i, 2);
    if (minute < 0 || minute > 59) {
      return fail(why, i, "2-digit minutes");
    }
    i += 2;
    int second = 0;
    long micros = 0;
    if (i < n && text.charAt(i) == ':') {
      second = digits(text, ++i, 2);
      if (second < 0 || second > 59) {
        return fail(why, i, "2-digit seconds");
      }
      i += 2;
      if (i < n && text.charAt(i) == '.') {
        int start = ++i;
        while (i < n && isDigit(text.charAt(i))) {
          if (i - start < 6) {
            micros = micros * 10 + (text.charAt(i) - '0');
          }
          i++;
        }
        int count = i - start;
        if (count == 0 || count > 9) {
          return fail(why, start, "1 to 9 fraction digits");
        }
        for (int k = count; k < 6; k++) {
          micros *= 10;
        }
      }
    }
    int offsetSeconds = offsetSeconds(text, i);
    if (offsetSeconds == Integer.MIN_VALUE) {
      return fail(why, i, "the end, Z or an offset like +02:00");
    }
    seconds += hour * 3_600L + minute * 60L + second - offsetSeconds;
    return seconds * 1_000_000L + micros;
  }

  /** True when {@code text} (already parsed) is a date alone: {@code eq '2018-1-1'} means that whole day. */
  public static boolean isDateOnly(String text) {
    return text.length() <= 10 && text.indexOf('T') < 0 && text.indexOf('t') < 0 && text.indexOf(' ') < 0;
  }

  private static long fail(Failure why, int position, String expected) {
    if (why != null) {
      why.position = position;
      why.expected = expected;
    }
    return Long.MIN_VALUE;
  }

  /** Length of the 1- or 2-digit run at {@code at} (0 when none, 3 when too long). */
  private static int digitRun(String s, int at) {
    int k = 0;
    while (at + k < s.length() && k < 3 && isDigit(s.charAt(at + k))) {
      k++;
    }
    return k == 3 ? 0 : k;
  }

  /** The offset starting at {@code i} in seconds, 0 for none or Z, or Integer.MIN_VALUE when malformed. */
  private static int offsetSeconds(String text, int i) {
    int n = text.length();
    if (i == n) {
      return 0;
    }
    char c = text.charAt(i);
    if (c == 'Z' || c == 'z') {
      return i + 1 == n ? 0 : Integer.MIN_VALUE;
    }
    if (c != '+' && c != '-') {
      return Integer.MIN_VALUE;
    }
    int hours = digits(text, i + 1, 2);
    int minutes;
    int rest = n - i - 3;
    if (rest == 0) {
      minutes = 0;
    } else if (rest == 3 && text.charAt(i + 3) == ':') {
      minutes = digits(text, i + 4, 2);
    } else if (rest == 2) {
      minutes = digits(text, i + 3, 2);
    } else {
      return Integer.MIN_VALUE;
    }
    int total = hours * 3_600 + minutes * 60;
    // java.time's ZoneOffset range: -18:00 to +18:00.
    if (hours < 0 || minutes < 0 || minutes > 59 || total > 18 * 3_600) {
      return Integer.MIN_VALUE;
    }
    return c == '-' ? -total : total;
  }

  /** The non-negative number in {@code count} digits at {@code at}, or -1. */
  private static int digits(String s, int at, int count) {
    if (at + count > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = at; i < at + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int daysInMonth(int year, int month) {
    if (month == 2) {
      boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** @return whether {@code micros} is within what DATETIME(6) holds (years 1000 to 9999 UTC) */
  public static boolean inRange(long micros) {
    return micros >= MIN_MICROS && micros <= MAX_MICROS;
  }

  /** Epoch milliseconds (fraction allowed) to micros; NaN/overflow → {@link Long#MIN_VALUE}. */
  static long fromMillis(double millis) {
    double micros = millis * 1_000d;
    return Double.isFinite(micros) && Math.abs(micros) < 9.0e18 ? Math.round(micros) : Long.MIN_VALUE;
  }

  static long fromSeconds(double seconds) {
    double micros = seconds * 1_000_000d;
    return Double.isFinite(micros) && Math.abs(micros) < 9.0e18 ? Math.round(micros) : Long.MIN_VALUE;
  }

  /**
   * Nanoseconds since the epoch (OTLP's fixed64 {@code time_unix_nano}, read as unsigned) to micros,
   * truncated: DATETIME(6) holds microseconds.
   */
  public static long fromEpochNanos(long nanos) {
    return Long.divideUnsigned(nanos, 1_000L);
  }

  /**
   * Nanoseconds since the epoch as decimal text (Loki's push timestamps) to micros, truncated.
   *
   * @return micros, or {@link Long#MIN_VALUE} when {@code text} is not 1 to 19 digits (an optional
   *     leading minus) or is outside the DATETIME range
   */
  public static long parseEpochNanos(String text) {
    int n = text.length();
    int start = n > 0 && text.charAt(0) == '-' ? 1 : 0;
    if (n == start || n - start > 19) {
      return Long.MIN_VALUE;
    }
    long nanos = 0;
    for (int i = start; i < n; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return Long.MIN_VALUE;
      }
      nanos = nanos * 10 + (c - '0');
      if (nanos < 0) {
        return Long.MIN_VALUE; // past Long.MAX_VALUE
      }
    }
    long micros = (start == 1 ? -nanos : nanos) / 1_000L;
    return inRange(micros) ? micros : Long.MIN_VALUE;
  }

  /** Epoch seconds and a nanosecond part (a protobuf Timestamp) to micros; {@link Long#MIN_VALUE} when out of range. */
  public static long fromSecondsAndNanos(long seconds, int nanos) {
    if (seconds < MIN_MICROS / 1_000_000L - 1 || seconds > MAX_MICROS / 1_000_000L + 1) {
      return Long.MIN_VALUE;
    }
    long micros = seconds * 1_000_000L + nanos / 1_000;
    return inRange(micros) ? micros : Long.MIN_VALUE;
  }

  /** Formats micros as RFC 3339 UTC with 6 fraction digits. */
  public static String format(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int micro = (int) Math.floorMod(micros, 1_000_000L);
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, micro * 1_000, ZoneOffset.UTC);
    return DateTimeFormatter.ISO_LOCAL_DATE.format(t) + 'T' + String.format("%02d:%02d:%02d.%06dZ",
        t.getHour(), t.getMinute(), t.getSecond(), micro);
  }

  /** Length of {@link #toSqlText} / {@link #writeSqlText}: {@code yyyy-MM-dd HH:mm:ss.ffffff}. */
  public static final int SQL_TEXT_LENGTH = 26;

  /**
   * Micros to the text of a UTC DATETIME(6) literal, {@code yyyy-MM-dd HH:mm:ss.ffffff}. Bound as a
   * string on purpose: MariaDB announces itself to Connector/J as version "5.5.5-10.x", and the
   * driver then drops fractional seconds from temporal parameters; text keeps every microsecond
   * on MySQL and MariaDB alike.
   */
  public static String toSqlText(long micros) {
    byte[] text = new byte[SQL_TEXT_LENGTH];
    writeSqlText(micros, text, 0);
    return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes {@link #toSqlText}'s text as ASCII bytes at {@code out[at]}, with integer arithmetic only
   * (no LocalDateTime, no String): the flusher writes two per row. Micros within {@link #inRange}.
   *
   * @return {@code at + SQL_TEXT_LENGTH}
   */
  public static int writeSqlText(long micros, byte[] out, int at) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int micro = (int) Math.floorMod(micros, 1_000_000L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // H. Hinnant's civil_from_days, the inverse of epochDay below.
    long z = Math.floorDiv(seconds, 86_400L) + 719_468L;
    long era = Math.floorDiv(z, 146_097L);
    int dayOfEra = (int) (z - era * 146_097L);
    int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int mp = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    put(out, at, year, 4);
    out[at + 4] = '-';
    put(out, at + 5, month, 2);
    out[at + 7] = '-';
    put(out, at + 8, day, 2);
    out[at + 10] = ' ';
    put(out, at + 11, secondOfDay / 3_600, 2);
    out[at + 13] = ':';
    put(out, at + 14, secondOfDay / 60 % 60, 2);
    out[at + 16] = ':';
    put(out, at + 17, secondOfDay % 60, 2);
    out[at + 19] = '.';
    put(out, at + 20, micro, 6);
    return at + SQL_TEXT_LENGTH;
  }

  /** "00" to "99": the microseconds of every row's two timestamps take three look-ups, not six divisions. */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  /**
   * {@link #writeSqlText} for a stream of times that mostly share their second (events of one
   * request, a log's consecutive lines): the {@code yyyy-MM-dd HH:mm:ss} part of the last second is
   * kept and copied, only the microseconds are formatted. One per writing thread.
   */
  public static final class SqlTextWriter {
    private static final int SECOND_LENGTH = 19;
    private final byte[] secondText = new byte[SQL_TEXT_LENGTH];
    private long second = Long.MIN_VALUE;

    /** @return {@code at + SQL_TEXT_LENGTH} */
    public int write(long micros, byte[] out, int at) {
      long s = Math.floorDiv(micros, 1_000_000L);
      if (s != second) {
        writeSqlText(micros, secondText, 0);
        second = s;
      }
      System.arraycopy(secondText, 0, out, at, SECOND_LENGTH);
      out[at + SECOND_LENGTH] = '.';
      put(out, at + SECOND_LENGTH + 1, (int) Math.floorMod(micros, 1_000_000L), 6);
      return at + SQL_TEXT_LENGTH;
    }
  }

  /** Writes {@code value} as exactly {@code digits} (an even number) decimal digits, two at a time. */
  private static void put(byte[] b, int at, int value, int digits) {
    for (int i = at + digits - 2; i >= at; i -= 2) {
      int pair = (value % 100) * 2;
      b[i] = DIGIT_PAIRS[pair];
      b[i + 1] = DIGIT_PAIRS[pair + 1];
      value /= 100;
    }
  }

  /** Micros since the epoch to the UTC wall-clock time stored in DATETIME(6). */
  public static LocalDateTime toUtcDateTime(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int micro = (int) Math.floorMod(micros, 1_000_000L);
    return LocalDateTime.ofEpochSecond(seconds, micro * 1_000, ZoneOffset.UTC);
  }
}

package io.logrouter.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value syntaxes config files use: sizes ({@code 10MB}) and durations ({@code 30s}). */
public final class Values {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  private Values() {}

  /**
   * {@code 8MB}, {@code 512KB}, {@code 100B}: binary units (1 KB = 1024 bytes). A number without a
   * unit is refused (except 0): "10" meaning ten bytes is a trap for someone who meant 10MB.
   */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches() || m.group(2) == null && !isZero(m.group(1))) {
      throw new IllegalArgumentException("a size with a unit, like 10MB, 512KB or 100B");
    }
    long n = parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    int shift = switch (unit) {
      case "KB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      case "TB" -> 40;
      default -> 0;
    };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("too large");
    }
    return n << shift;
  }

  /**
   * {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}. A number without a unit is refused (except
   * 0): "30" could mean seconds as well as milliseconds.
   */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches() || m.group(2) == null && !isZero(m.group(1))) {
      throw new IllegalArgumentException("a duration with a unit, like 30s, 500ms, 5m or 1h");
    }
    long n = parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofMillis(n);
    };
  }

  /** A {@link #duration} that must be above zero (a zero timeout or period would mean "never" or "spin"). */
  public static Duration positiveDuration(String text) {
    Duration d = duration(text);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be > 0");
    }
    return d;
  }

  private static boolean isZero(String digits) {
    return digits.chars().allMatch(c -> c == '0');
  }

  private static long parseLong(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("too large");
    }
  }

  /** A whole number; the message says so instead of Java's "For input string". */
  static int wholeNumber(String text, String allowed) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(allowed);
    }
  }

  /** One of {@code type}'s constants, case-insensitive; the message lists them. */
  static <E extends Enum<E>> E oneOf(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder("one of ");
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.length() > 7 ? ", " : "").append(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(allowed.toString());
  }

  public static int port(String text) {
    int port = wholeNumber(text, "a port number 0..65535 (0 picks a free one)");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("a port is 0..65535 (0 picks a free one)");
    }
    return port;
  }

  public static int positiveInt(String text) {
    int n = wholeNumber(text, "a whole number > 0");
    if (n <= 0) {
      throw new IllegalArgumentException("must be > 0");
    }
    return n;
  }

  /** {@code flush.lanes}: 1..64 (each lane holds a database connection and two threads). */
  public static int flushLanes(String text) {
    int n = wholeNumber(text, "a whole number 1..64");
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("must be 1..64");
    }
    return n;
  }

  public static int nonNegativeInt(String text) {
    int n = wholeNumber(text, "a whole number >= 0");
    if (n < 0) {
      throw new IllegalArgumentException("must be >= 0");
    }
    return n;
  }

  /** A {@code db.ids} value: checked here, resolved against the profile where the sink is made. */
  static String dbIds(String text) {
    io.logrouter.profile.IdGeneration.chosen(text, io.logrouter.profile.DbProfile.MYSQL);
    return text.trim().toLowerCase(Locale.ROOT);
  }

  /** A Chronicle {@code RollCycles} constant name such as {@code TEN_MINUTELY}. */
  static String rollCycleName(String text) {
    return oneOf(net.openhft.chronicle.queue.RollCycles.class, text).name();
  }

  static String flushMethod(String text) {
    String method = text.toLowerCase(Locale.ROOT);
    if (!method.equals("load_data") && !method.equals("insert")) {
      throw new IllegalArgumentException("one of load_data, insert");
    }
    return method;
  }

  public static boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("true or false");
    };
  }
}

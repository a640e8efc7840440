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

  /** {@code 8MB}, {@code 512KB}, {@code 1048576}: binary units (1 KB = 1024 bytes). */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size; write it like 10MB, 512KB or a number of bytes");
    }
    long n = Long.parseLong(m.group(1));
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

  /** {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}; a bare number is milliseconds. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration; write it like 30s, 500ms, 5m or 1h");
    }
    long n = Long.parseLong(m.group(1));
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

  public static int port(String text) {
    int port = Integer.parseInt(text);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("a port is 0..65535 (0 picks a free one)");
    }
    return port;
  }

  public static int positiveInt(String text) {
    int n = Integer.parseInt(text);
    if (n <= 0) {
      throw new IllegalArgumentException("must be > 0");
    }
    return n;
  }

  public static int nonNegativeInt(String text) {
    int n = Integer.parseInt(text);
    if (n < 0) {
      throw new IllegalArgumentException("must be >= 0");
    }
    return n;
  }

  /** A Chronicle {@code RollCycles} constant name such as {@code TEN_MINUTELY}. */
  static String rollCycleName(String text) {
    net.openhft.chronicle.queue.RollCycles.valueOf(text.toUpperCase(Locale.ROOT));
    return text.toUpperCase(Locale.ROOT);
  }

  static String flushMethod(String text) {
    String method = text.toLowerCase(Locale.ROOT);
    if (!method.equals("load_data") && !method.equals("insert")) {
      throw new IllegalArgumentException("must be load_data or insert");
    }
    return method;
  }

  public static boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }
}

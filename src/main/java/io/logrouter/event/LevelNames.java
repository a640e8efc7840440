package io.logrouter.event;

import java.util.List;
import java.util.Locale;

/**
 * THE level rules of the router, shared by every receiver (through {@link EventWriter}) and by the
 * query API, so a query finds what ingest stored: upper case, {@code WARNING} → {@code WARN},
 * missing or blank → {@code INFO}, at most {@link #MAX_CHARS} characters.
 */
public final class LevelNames {
  public static final String DEFAULT = "INFO";
  /** The level column is VARCHAR(16): characters (code points), as MySQL counts them. */
  public static final int MAX_CHARS = EventWriter.MAX_LEVEL_CHARS;
  /** Severity order for gt/gte/lt/lte on {@code level}; senders' own levels have no rank. */
  public static final List<String> BY_SEVERITY = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

  private LevelNames() {}

  public static String normalize(String raw) {
    if (raw == null) {
      return DEFAULT;
    }
    String trimmed = raw.trim();
    if (trimmed.isEmpty()) {
      return DEFAULT;
    }
    // toUpperCase returns the same instance when nothing changes: no allocation for "INFO".
    String upper = trimmed.toUpperCase(Locale.ROOT);
    return "WARNING".equals(upper) ? "WARN" : upper;
  }

  /** Whether a normalized level fits the column (ingest refuses a longer one; a query can never match it). */
  public static boolean fits(String normalized) {
    return normalized.length() <= MAX_CHARS || normalized.codePointCount(0, normalized.length()) <= MAX_CHARS;
  }

  /**
   * The stored form of a level a client typed in a query, or null when it cannot be a stored level
   * (blank: a query must name a level; longer than the column).
   */
  public static String normalizeForQuery(String level) {
    if (level.isBlank()) {
      return null;
    }
    String stored = normalize(level);
    return fits(stored) ? stored : null;
  }

  /** Index in {@link #BY_SEVERITY}, or -1 for a level outside the standard six. */
  public static int rank(String normalized) {
    return BY_SEVERITY.indexOf(normalized);
  }

  /**
   * The level of an OpenTelemetry {@code SeverityNumber} (1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN,
   * 17-20 ERROR, 21-24 FATAL, as the OpenTelemetry log data model ranges them); null for 0
   * (unspecified) or a number outside 1..24, so the default applies.
   */
  public static String fromOtelSeverity(int severityNumber) {
    if (severityNumber < 1 || severityNumber > 24) {
      return null;
    }
    return OTEL_RANGES[(severityNumber - 1) / 4];
  }

  private static final String[] OTEL_RANGES = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
}

package io.logrouter.event;

import java.util.Locale;

/** Level normalization: upper case, {@code WARNING} → {@code WARN}, missing → {@code INFO}. */
public final class LevelNames {
  public static final String DEFAULT = "INFO";

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

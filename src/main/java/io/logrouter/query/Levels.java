package io.logrouter.query;

import java.util.List;

/** Level names as the router stores them: upper case, {@code WARNING} folded into {@code WARN}. */
final class Levels {
  /** Severity order for gt/gte/lt/lte on {@code level}; senders' own levels have no rank. */
  static final List<String> BY_SEVERITY = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
  /** The column is VARCHAR(16): a longer value can never match, so it is a client mistake. */
  static final int MAX_LENGTH = 16;

  private Levels() {}

  /** The stored form of a level a client typed, or null when it cannot be a stored level. */
  static String normalize(String level) {
    if (level.isBlank()) {
      return null;
    }
    // The same folding ingest applies, so a query finds what ingest stored.
    String stored = io.logrouter.event.LevelNames.normalize(level);
    return stored.length() > MAX_LENGTH ? null : stored;
  }

  /** Index in {@link #BY_SEVERITY}, or -1 for a level outside the standard six. */
  static int rank(String normalized) {
    return BY_SEVERITY.indexOf(normalized);
  }
}

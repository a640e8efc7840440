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
}

package io.logrouter.query;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * The query-string parameters of one request, read with the rules all query routes share: an
 * empty value is the same as none, a repeated one is an error (which one would win is a guess),
 * and every mistake is a {@link BadParameterException} naming the parameter.
 */
final class QueryParams {
  private final Map<String, Deque<String>> raw;

  QueryParams(Map<String, Deque<String>> raw) {
    this.raw = raw;
  }

  /** Rejects names outside {@code known}: a typo like {@code levle=} must not silently return everything. */
  void rejectUnknown(Set<String> known) {
    for (String name : raw.keySet()) {
      if (!known.contains(name)) {
        throw new BadParameterException(name, "unknown parameter '" + name + "'; known: " + known);
      }
    }
  }

  String text(String name) {
    Deque<String> values = raw.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new BadParameterException(name, "'" + name + "' given " + values.size() + " times; give it once");
    }
    String value = values.getFirst();
    return value.isEmpty() ? null : value;
  }

  /** An inclusive bound: a date (UTC midnight) or an RFC 3339 time, converted to UTC. */
  LocalDateTime time(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      return Timestamps.parse(value).utc();
    } catch (DateTimeException e) {
      throw new BadParameterException(name, "'" + name + "': " + e.getMessage());
    }
  }

  String level(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    String level = io.logrouter.event.LevelNames.normalizeForQuery(value);
    if (level == null) {
      throw new BadParameterException(name, "'" + name + "' must be a level of 1 to " + io.logrouter.event.LevelNames.MAX_CHARS + " characters");
    }
    return level;
  }

  int limit(String name, int fallback) {
    return intInRange(name, fallback, 1, LogQuery.MAX_LIMIT);
  }

  /** A whole number in [min, max]; {@code fallback} when absent. */
  int intInRange(String name, int fallback, int min, int max) {
    String value = text(name);
    if (value == null) {
      return fallback;
    }
    int number;
    try {
      number = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      number = min - 1;
    }
    if (number < min || number > max) {
      throw new BadParameterException(name, "'" + name + "' must be a whole number from " + min + " to " + max,
          Map.of("max", max));
    }
    return number;
  }

  Cursor cursor(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      return Cursor.decode(value);
    } catch (IllegalArgumentException e) {
      throw new BadParameterException(name, "'" + name + "' is not a cursor this API returned (use the 'next' value as is)");
    }
  }

  /** Parses {@code q}; a syntax error names the character where it broke. */
  SqlFragment filter(String name, LogQueryService service) {
    return parsed(name, service::parseFilter);
  }

  /** Parses {@code q} for the live tail (evaluated in Java); the same errors as {@link #filter}. */
  java.util.function.Predicate<TailEvent> tailFilter(String name) {
    return parsed(name, TailFilter::parse);
  }

  private <T> T parsed(String name, java.util.function.Function<String, T> parser) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (FilterSyntaxException e) {
      throw new BadParameterException(name, "'" + name + "': " + e.getMessage(),
          Map.of("position", e.position(), "expected", e.expected()));
    }
  }
}

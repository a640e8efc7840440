package io.logrouter.query;

import io.logrouter.query.FilterTokenizer.Token;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one comparison of the filter language into SQL on the {@code logs} table. Field names map
 * to columns ({@code timestamp}/{@code createdAt} → ts, {@code level}, {@code source}/{@code
 * component}, {@code message}); any other name is a path into {@code attributes}, read with
 * JSON_EXTRACT and a bound JSON path, which works alike on MySQL 8 and MariaDB 10.11.
 */
final class FilterFields implements FilterAlgebra<SqlFragment> {
  /** The comparison operators; {@code sql} is the SQL operator for the ordering ones. */
  enum Op {
    EQ("="), NE("<>"), CT("LIKE"), GT(">"), GTE(">="), LT("<"), LTE("<=");

    final String sql;

    Op(String sql) {
      this.sql = sql;
    }

    static Op parse(String word) {
      for (Op op : values()) {
        if (op.name().equalsIgnoreCase(word)) {
          return op;
        }
      }
      return null;
    }

    boolean ordering() {
      return this == GT || this == GTE || this == LT || this == LTE;
    }
  }

  /**
   * An attribute's text, the same on every server (docs/COMPATIBILITY.md). JSON_UNQUOTE alone is
   * not enough: on MariaDB 11.4 it returns utf8mb3, where a utf8mb4 collation is an error and a
   * 4-byte character (emoji) has already become '?'. JSON_VALUE returns a scalar as utf8mb4 on
   * MariaDB and MySQL; it is NULL for objects, arrays, JSON null and (MySQL) values over its
   * VARCHAR(512), where JSON_UNQUOTE(JSON_EXTRACT) takes over, as before. CONVERT then makes the
   * result utf8mb4 on every server, and the table's collation (V1) makes attribute comparisons as
   * case-insensitive as the column ones. The path is bound twice; JSON_VALUE wants a literal path
   * on MySQL, which the client-side prepared statements of DataSources send.
   */
  static final String COLLATION = " COLLATE utf8mb4_unicode_520_ci";
  private static final String ATTRIBUTE =
      "CONVERT(COALESCE(JSON_VALUE(attributes, ?), JSON_UNQUOTE(JSON_EXTRACT(attributes, ?))) USING utf8mb4)" + COLLATION;

  private final Map<String, String> promoted;

  FilterFields(Map<String, String> promoted) {
    this.promoted = promoted;
  }

  @Override
  public SqlFragment and(SqlFragment left, SqlFragment right) {
    return left.and(right);
  }

  @Override
  public SqlFragment or(SqlFragment left, SqlFragment right) {
    return left.or(right);
  }

  @Override
  public SqlFragment compare(Token field, Token operator, Op op, Token value) {
    String name = field.text().toLowerCase(Locale.ROOT);
    switch (name) {
      case "timestamp", "createdat" -> {
        return time(operator, op, value);
      }
      case "level" -> {
        return level(operator, op, value);
      }
      case "source", "component" -> {
        return column("source", op, value.text());
      }
      case "message" -> {
        return column("message", op, value.text());
      }
      default -> {
        return attribute(field, value, op);
      }
    }
  }

  /** {@code col LIKE '%…%'} with the value's own % and _ taken literally. */
  static SqlFragment contains(String column, String value) {
    return SqlFragment.of(column + " LIKE ? ESCAPE '!'", "%" + escapeLike(value) + "%");
  }

  /** '!' rather than the default backslash: its meaning does not change with NO_BACKSLASH_ESCAPES. */
  static String escapeLike(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' || c == '_' || c == '!') {
        out.append('!');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static SqlFragment column(String column, Op op, String value) {
    return switch (op) {
      case CT -> contains(column, value);
      // NULL-safe: a row without a source is "not equal" to any source, not unknown.
      case NE -> SqlFragment.of("NOT (" + column + " <=> ?)", value);
      default -> SqlFragment.of(column + " " + op.sql + " ?", value);
    };
  }

  private static SqlFragment time(Token operator, Op op, Token value) {
    Timestamps.Parsed at = timeValue(operator, op, value);
    if (at.dateOnly() && (op == Op.EQ || op == Op.NE)) {
      // "createdAt eq '2018-1-1'" means that UTC day, as a range the ts index can serve.
      var dayEnd = dayEnd(at);
      if (dayEnd == null) {
        return SqlFragment.of(op == Op.EQ ? "ts >= ?" : "ts < ?", at.utc());
      }
      return op == Op.EQ
          ? SqlFragment.of("ts >= ? AND ts < ?", at.utc(), dayEnd)
          : SqlFragment.of("(ts < ? OR ts >= ?)", at.utc(), dayEnd);
    }
    return SqlFragment.of("ts " + op.sql + " ?", at.utc());
  }

  /** The time of a timestamp comparison; a time has no 'ct'. Shared with the live tail's filter. */
  static Timestamps.Parsed timeValue(Token operator, Op op, Token value) {
    if (op == Op.CT) {
      throw new FilterSyntaxException(operator.start(), "eq, ne, gt, gte, lt or lte: a time has no 'ct'");
    }
    try {
      return Timestamps.parse(value.text());
    } catch (DateTimeException e) {
      throw new FilterSyntaxException(value.start(), "a date like 2018-1-1 or an RFC 3339 time like 2018-01-01T10:00:00Z");
    }
  }

  /** The end (exclusive) of the UTC day a date-only value names; null for 9999-12-31, whose end is past DATETIME. */
  static java.time.LocalDateTime dayEnd(Timestamps.Parsed at) {
    var end = at.utc().plusDays(1);
    return end.isAfter(Timestamps.MAX) ? null : end;
  }

  private static SqlFragment level(Token operator, Op op, Token value) {
    if (op == Op.CT) {
      return contains("level", value.text());
    }
    String level = levelValue(value);
    if (!op.ordering()) {
      return SqlFragment.of("level " + op.sql + " ?", level);
    }
    List<Object> levels = new ArrayList<>(levelsBySeverity(operator, op, value, level));
    if (levels.isEmpty()) {
      return SqlFragment.of("1 = 0"); // "gt FATAL": nothing is more severe
    }
    // level gte 'WARN' → level IN ('WARN','ERROR','FATAL'): an index range per level.
    return new SqlFragment("level IN (" + "?, ".repeat(levels.size() - 1) + "?)", levels);
  }

  /** The level of an eq/ne/ordering comparison, normalized as stored (upper case, WARNING → WARN). */
  static String levelValue(Token value) {
    String level = io.logrouter.event.LevelNames.normalizeForQuery(value.text());
    if (level == null) {
      throw new FilterSyntaxException(value.start(), "a level of 1 to " + io.logrouter.event.LevelNames.MAX_CHARS + " characters");
    }
    return level;
  }

  /** {@code level gte WARN} → [WARN, ERROR, FATAL]: the known levels on the asked side of {@code level}. */
  static List<String> levelsBySeverity(Token operator, Op op, Token value, String level) {
    int rank = io.logrouter.event.LevelNames.rank(level);
    if (rank < 0) {
      throw new FilterSyntaxException(value.start(), "one of " + io.logrouter.event.LevelNames.BY_SEVERITY + " to compare severities with '"
          + operator.text() + "'");
    }
    List<String> levels = new ArrayList<>();
    for (int i = 0; i < io.logrouter.event.LevelNames.BY_SEVERITY.size(); i++) {
      boolean keep = switch (op) {
        case GT -> i > rank;
        case GTE -> i >= rank;
        case LT -> i < rank;
        default -> i <= rank;
      };
      if (keep) {
        levels.add(io.logrouter.event.LevelNames.BY_SEVERITY.get(i));
      }
    }
    return levels;
  }

  private SqlFragment attribute(Token field, Token valueToken, Op op) {
    String value = valueToken.text();
    String path = AttributePaths.jsonPath(field.text(), field.start());
    String column = promoted.get(field.text());
    if (column != null && op == Op.EQ) {
      // The generated column narrows through its index; the JSON comparison keeps the exact
      // meaning for values longer than the column (the recipe cuts them, see docs/DBA.md).
      return SqlFragment.of("`" + column + "` = LEFT(?, " + AttributePaths.PROMOTED_LENGTH + ") AND " + ATTRIBUTE + " = ?",
          value, path, path, value);
    }
    return switch (op) {
      case CT -> new SqlFragment(ATTRIBUTE + " LIKE ? ESCAPE '!'", List.of(path, path, "%" + escapeLike(value) + "%"));
      case NE -> SqlFragment.of("NOT (" + ATTRIBUTE + " <=> ?)", path, path, value);
      default -> op.ordering() && isNumber(value)
          // Numbers compare as numbers: '9' < '10' must hold for data.count gt 9.
          ? SqlFragment.of("CAST(JSON_UNQUOTE(JSON_EXTRACT(attributes, ?)) AS DOUBLE) " + op.sql + " ?",
              path, finiteDouble(valueToken))
          : SqlFragment.of(ATTRIBUTE + " " + op.sql + " ?", path, path, value);
    };
  }

  /**
   * The number of an ordering comparison as a double. One past the double range would be bound as
   * Infinity, which the driver writes into the SQL text and the server refuses (a 503 before).
   */
  static double finiteDouble(Token value) {
    double number = Double.parseDouble(value.text());
    if (!Double.isFinite(number)) {
      throw new FilterSyntaxException(value.start(), "a number within the range of a double (about 1.8e308)");
    }
    return number;
  }

  /** A plain decimal number (JSON number syntax without exponent); checked by hand, no regex. */
  static boolean isNumber(String s) {
    int i = s.startsWith("-") ? 1 : 0;
    int digits = 0;
    boolean dot = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !dot && digits > 0) {
        dot = true;
      } else {
        return false;
      }
    }
    return digits > 0 && !s.endsWith(".");
  }
}

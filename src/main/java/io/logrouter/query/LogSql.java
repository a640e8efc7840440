package io.logrouter.query;

import java.util.ArrayList;
import java.util.List;

/**
 * The SELECTs the query routes issue, all built on one WHERE ({@link #conditions}): a page of rows,
 * the histogram's counts per bucket and level, and the counts per source. Their shapes are what
 * {@code LogQueryIndexTest} EXPLAINs: a ts range, optionally with level or source first (the (level,
 * ts, id) and (source, ts, id) keys of V1), and the keyset condition on (ts, id), all ordered the
 * way those keys are.
 */
final class LogSql {
  private static final String SELECT = "SELECT id, ts, level, source, message, attributes FROM logs";
  /** Both columns, both descending: a backward scan of (…, ts, id), no filesort. */
  private static final String ORDER = " ORDER BY ts DESC, id DESC LIMIT ?";

  private LogSql() {}

  /** The statement for one page; it asks for one row more than the page to know if another follows. */
  static SqlFragment select(LogQuery query) {
    return select(query, query.limit() + 1);
  }

  /**
   * The page's statement with every value written in as an SQL literal, for a person to paste into
   * the mysql client (GET /logs/sql): the same text the API runs, bounded to the page's size.
   */
  static String forDba(LogQuery query) {
    SqlFragment select = select(query, query.limit());
    StringBuilder out = new StringBuilder(select.sql().length() + 64);
    int param = 0;
    for (int i = 0; i < select.sql().length(); i++) {
      char c = select.sql().charAt(i);
      if (c == '?') {
        out.append(literal(select.params().get(param++)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A value as SQL text: numbers bare, times and strings quoted, ' and \\ doubled. Exact in the
   * default sql_mode; under NO_BACKSLASH_ESCAPES a backslash reads doubled, never as an escape.
   */
  private static String literal(Object value) {
    if (value instanceof Number) {
      return value.toString();
    }
    String text = value instanceof java.time.LocalDateTime t ? Timestamps.sqlValue(t) : value.toString();
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  private static SqlFragment select(LogQuery query, int rows) {
    List<SqlFragment> where = conditions(query);
    if (query.after() != null) {
      Cursor c = query.after();
      // Spelled out rather than (ts, id) < (?, ?): both optimizers turn this form into index ranges.
      where.add(SqlFragment.of("(ts < ? OR (ts = ? AND id < ?))", c.ts(), c.ts(), c.id()));
    }
    List<Object> limit = List.of(rows);
    return statement(new SqlFragment(SELECT, List.of()), where, new SqlFragment(ORDER, limit));
  }

  /**
   * Counts per (bucket, level): one {@code SELECT … GROUP BY level} per bucket, joined by UNION ALL.
   * {@code knownLevels} (the distinct levels of the table, or empty when there are too many) becomes
   * {@code level IN (…)}, so each bucket is one range of the (level, ts, id) key per level, read from
   * the key alone and grouped in key order without a temporary table. Half the time of one
   * {@code GROUP BY <bucket expression>, level} over the window (BENCHMARKS.md, issue 14), which
   * must hash every row into a temporary table; without the IN list only a scan of the whole key or
   * row look-ups through (ts, id) could answer.
   */
  static SqlFragment histogram(LogQuery query, HistogramBuckets buckets, List<String> knownLevels) {
    List<SqlFragment> where = conditions(query);
    if (query.level() == null && !knownLevels.isEmpty()) {
      where.add(in("level", knownLevels));
    }
    StringBuilder sql = new StringBuilder();
    List<Object> params = new ArrayList<>();
    for (int i = 0; i < buckets.count(); i++) {
      List<SqlFragment> inBucket = new ArrayList<>(where);
      // The window's own from/to bound the first and last bucket, whose aligned edges may lie
      // outside DATETIME's range (before year 1000, after 9999).
      if (i > 0) {
        inBucket.add(SqlFragment.of("ts >= ?", buckets.start(i)));
      }
      if (i < buckets.count() - 1) {
        inBucket.add(SqlFragment.of("ts < ?", buckets.start(i + 1)));
      }
      // The bucket number is this method's own integer, never client text.
      SqlFragment part = statement(SqlFragment.of("SELECT " + i + " AS bucket, level, COUNT(*) FROM logs"), inBucket,
          SqlFragment.of(" GROUP BY level"));
      sql.append(i == 0 ? "" : " UNION ALL ").append(part.sql());
      params.addAll(part.params());
    }
    return new SqlFragment(sql.toString(), params);
  }

  /** The most frequent sources; {@code knownSources} as for {@link #histogram}, plus NULL. */
  static SqlFragment sources(LogQuery query, List<String> knownSources, int limit) {
    List<SqlFragment> where = conditions(query);
    if (query.source() == null && !knownSources.isEmpty()) {
      SqlFragment in = in("source", knownSources);
      where.add(new SqlFragment("(" + in.sql() + " OR source IS NULL)", in.params()));
    }
    return statement(SqlFragment.of("SELECT source, COUNT(*) AS n FROM logs"), where,
        SqlFragment.of(" GROUP BY source ORDER BY n DESC, source LIMIT ?", limit));
  }

  /**
   * The distinct values of an indexed column's first key part, at most {@code max}: a loose index
   * scan (one dive per value, "Using index for group-by"), milliseconds on any table size.
   */
  static String distinct(String column, int max) {
    return "SELECT DISTINCT " + column + " FROM logs WHERE " + column + " IS NOT NULL LIMIT " + max;
  }

  /** The filters every route shares: from/to, level, source, contains, q. */
  static List<SqlFragment> conditions(LogQuery query) {
    List<SqlFragment> where = new ArrayList<>();
    if (query.from() != null) {
      where.add(SqlFragment.of("ts >= ?", query.from()));
    }
    if (query.to() != null) {
      where.add(SqlFragment.of("ts <= ?", query.to()));
    }
    if (query.level() != null) {
      where.add(SqlFragment.of("level = ?", query.level()));
    }
    if (query.source() != null) {
      where.add(SqlFragment.of("source = ?", query.source()));
    }
    if (query.contains() != null) {
      where.add(FilterFields.contains("message", query.contains()));
    }
    if (query.filter() != null) {
      where.add(new SqlFragment("(" + query.filter().sql() + ")", query.filter().params()));
    }
    return where;
  }

  private static SqlFragment in(String column, List<String> values) {
    return new SqlFragment(column + " IN (" + "?, ".repeat(values.size() - 1) + "?)", new ArrayList<>(values));
  }

  private static SqlFragment statement(SqlFragment head, List<SqlFragment> where, SqlFragment tail) {
    StringBuilder sql = new StringBuilder(head.sql());
    List<Object> params = new ArrayList<>(head.params());
    for (int i = 0; i < where.size(); i++) {
      sql.append(i == 0 ? " WHERE " : " AND ").append(where.get(i).sql());
      params.addAll(where.get(i).params());
    }
    sql.append(tail.sql());
    params.addAll(tail.params());
    return new SqlFragment(sql.toString(), params);
  }
}

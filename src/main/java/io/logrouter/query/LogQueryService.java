package io.logrouter.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads pages of {@code logs} over JDBC. Thread-safe; one instance serves every query route. */
public final class LogQueryService {
  /**
   * A filter that no index serves (an attribute on a huge range) must not hold a connection and a
   * server thread forever; 30 s is far above the indexed shapes (milliseconds) and below the
   * patience of an operator.
   */
  static final int QUERY_TIMEOUT_SECONDS = 30;

  /** Up to this many distinct levels or sources go into an IN list (one index range each). */
  static final int MAX_KNOWN_VALUES = 200;

  private final DataSource dataSource;
  private final PromotedAttributes promoted;

  public LogQueryService(DataSource dataSource) {
    this.dataSource = dataSource;
    this.promoted = new PromotedAttributes(dataSource);
  }

  /** Parses a {@code q=} filter against the current promoted attribute columns. */
  SqlFragment parseFilter(String q) {
    return FilterParser.parse(q, promoted.current());
  }

  Map<String, String> promotedColumns() {
    return promoted.current();
  }

  LogPage find(LogQuery query) throws SQLException {
    List<LogRow> rows = new ArrayList<>(Math.min(query.limit() + 1, LogQuery.MAX_LIMIT + 1));
    try (Connection c = dataSource.getConnection()) {
      run(c, LogSql.select(query), rs -> rows.add(new LogRow(rs.getLong(1), rs.getObject(2, LocalDateTime.class),
          rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))));
    }
    if (rows.size() <= query.limit()) {
      return new LogPage(rows, null);
    }
    List<LogRow> page = rows.subList(0, query.limit());
    return new LogPage(List.copyOf(page), page.get(page.size() - 1).cursor());
  }

  /**
   * Counts per bucket and level; levels by severity, then the senders' own alphabetically. The whole
   * minutes from the per-minute counts when they can answer ({@link CountedMinutes}), the rest from
   * {@code logs}.
   */
  Histogram histogram(LogQuery query, HistogramBuckets buckets) throws SQLException {
    Map<String, long[]> counts = new java.util.TreeMap<>(LEVEL_ORDER);
    try (Connection c = dataSource.getConnection()) {
      java.util.Optional<CountedMinutes> counted = CountedMinutes.of(query, buckets);
      List<LogQuery> fromLogs = counted.map(minutes -> minutes.edges(query)).orElse(List.of(query));
      if (counted.isPresent()) {
        run(c, counted.get().sql(query, buckets), rs -> addCount(counts, buckets, 0, rs));
      }
      List<String> levels = query.level() == null && !fromLogs.isEmpty() ? distinct(c, "level") : List.of();
      for (LogQuery part : fromLogs) {
        // A partial minute lies in one bucket: counted as a one-bucket histogram of its own.
        int first = counted.isPresent() ? buckets.indexOf(part.from()) : 0;
        HistogramBuckets partBuckets = counted.isPresent() ? buckets.only(first) : buckets;
        run(c, LogSql.histogram(part, partBuckets, levels), rs -> addCount(counts, buckets, first, rs));
      }
    }
    return new Histogram(buckets, counts);
  }

  /** Adds a (bucket, level, count) row, its bucket numbered from {@code firstBucket}. */
  private static void addCount(Map<String, long[]> counts, HistogramBuckets buckets, int firstBucket, ResultSet rs)
      throws SQLException {
    long bucket = firstBucket + rs.getLong(1);
    if (bucket >= 0 && bucket < buckets.count()) {
      counts.computeIfAbsent(rs.getString(2), l -> new long[buckets.count()])[(int) bucket] += rs.getLong(3);
    }
  }

  /** The {@code limit} most frequent sources (null: events without one) with their counts. */
  List<Map.Entry<String, Long>> sources(LogQuery query, int limit) throws SQLException {
    List<Map.Entry<String, Long>> top = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      List<String> sources = query.source() == null ? distinct(c, "source") : List.of();
      run(c, LogSql.sources(query, sources, limit),
          rs -> top.add(new java.util.AbstractMap.SimpleImmutableEntry<>(rs.getString(1), rs.getLong(2))));
    }
    return top;
  }

  /** Reads one row of a result. */
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /** Runs a statement the API built, bounded by {@link #QUERY_TIMEOUT_SECONDS}, handing each row to {@code reader}. */
  private static void run(Connection c, SqlFragment statement, RowReader reader) throws SQLException {
    try (PreparedStatement st = prepare(c, statement)) {
      st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    }
  }

  /** Counts of one histogram: level → one count per bucket. */
  record Histogram(HistogramBuckets buckets, Map<String, long[]> counts) {}

  /** Standard levels by severity, then the rest alphabetically. */
  private static final java.util.Comparator<String> LEVEL_ORDER = java.util.Comparator
      .comparingInt((String l) -> {
        int rank = io.logrouter.event.LevelNames.rank(l);
        return rank < 0 ? Integer.MAX_VALUE : rank;
      })
      .thenComparing(java.util.Comparator.naturalOrder());

  /**
   * The distinct values of level or source for an IN list (see LogSql#histogram); empty when
   * there are more than {@link #MAX_KNOWN_VALUES}, where the list would cost more than it saves.
   */
  private static List<String> distinct(Connection c, String column) throws SQLException {
    List<String> values = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(LogSql.distinct(column, MAX_KNOWN_VALUES + 1));
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values.size() > MAX_KNOWN_VALUES ? List.of() : values;
  }

  /** Binds every value; a LocalDateTime (UTC) as a string with its microseconds (see Timestamps#sqlValue). */
  static PreparedStatement prepare(Connection c, SqlFragment fragment) throws SQLException {
    PreparedStatement st = c.prepareStatement(fragment.sql());
    List<Object> params = fragment.params();
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i);
      if (value instanceof LocalDateTime time) {
        st.setString(i + 1, Timestamps.sqlValue(time));
      } else {
        st.setObject(i + 1, value);
      }
    }
    return st;
  }
}

package io.logrouter.query;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of a histogram window that the per-minute counts (V4: {@code log_minute_counts},
 * {@code log_source_minute_counts}, written by the flush in the rows' own transaction) answer: the
 * whole UTC minutes inside [from, to]. The partial minutes at either end, if any, are counted from
 * {@code logs} as before ({@link #edges}).
 *
 * <p>Only for filters the counts hold, time, level and source, and for buckets of whole minutes (every
 * width from one minute up; shorter ones mean a window of half an hour or less, cheap from {@code logs}).
 * 24 h of counts are one row per minute, level and writer instead of every event's index entry:
 * BENCHMARKS.md, issue 14.
 *
 * @param first the first whole minute in the window
 * @param last the last whole minute in the window (not before {@code first})
 */
record CountedMinutes(LocalDateTime first, LocalDateTime last) {
  private static final long MINUTE = 60;
  /** The last microsecond of a minute: a {@code to} there closes that minute. */
  private static final long LAST_MICRO_NANOS = 59_999_999_000L;

  /** The whole minutes of the query's window, or empty when the counts cannot answer this query. */
  static Optional<CountedMinutes> of(LogQuery query, HistogramBuckets buckets) {
    if (query.filter() != null || query.contains() != null || buckets.seconds() % MINUTE != 0) {
      return Optional.empty();
    }
    LocalDateTime fromMinute = query.from().truncatedTo(ChronoUnit.MINUTES);
    LocalDateTime first = fromMinute.equals(query.from()) ? fromMinute : fromMinute.plusMinutes(1);
    LocalDateTime toMinute = query.to().truncatedTo(ChronoUnit.MINUTES);
    boolean toClosesItsMinute = query.to().getSecond() * 1_000_000_000L + query.to().getNano() == LAST_MICRO_NANOS;
    LocalDateTime last = toClosesItsMinute ? toMinute : toMinute.minusMinutes(1);
    return first.isAfter(last) ? Optional.empty() : Optional.of(new CountedMinutes(first, last));
  }

  /**
   * Counts per (bucket, level) from the counts table of the query's grain, a range of its primary key:
   * (minute, level, …) without a source, (source, minute, level, …) with one. The bucket number is
   * computed from {@link #first} plus the minutes between the first bucket's start and it, so no
   * bound outside DATETIME's range is ever sent (the first bucket may start before year 1000).
   */
  SqlFragment sql(LogQuery query, HistogramBuckets buckets) {
    long offsetMinutes =
        (first.toEpochSecond(ZoneOffset.UTC) - buckets.firstStart().toEpochSecond(ZoneOffset.UTC)) / MINUTE;
    List<Object> params = new ArrayList<>(List.of(first, offsetMinutes, buckets.seconds() / MINUTE));
    StringBuilder sql = new StringBuilder("SELECT (TIMESTAMPDIFF(MINUTE, ?, minute) + ?) DIV ? AS bucket, level,"
        + " SUM(events) FROM ");
    if (query.source() == null) {
      sql.append("log_minute_counts WHERE");
    } else {
      sql.append("log_source_minute_counts WHERE source = ? AND");
      params.add(query.source());
    }
    sql.append(" minute >= ? AND minute <= ?");
    params.add(first);
    params.add(last);
    if (query.level() != null) {
      sql.append(" AND level = ?");
      params.add(query.level());
    }
    // ORDER BY NULL: the groups are summed by bucket number, in any order; no sort.
    sql.append(" GROUP BY bucket, level ORDER BY NULL");
    return new SqlFragment(sql.toString(), params);
  }

  /** The partial minutes before {@link #first} and after {@link #last}, as windows to count from {@code logs}. */
  List<LogQuery> edges(LogQuery query) {
    List<LogQuery> edges = new ArrayList<>(2);
    if (query.from().isBefore(first)) {
      edges.add(within(query, query.from(), first.minus(1, ChronoUnit.MICROS)));
    }
    LocalDateTime afterLast = last.plusMinutes(1);
    if (!query.to().isBefore(afterLast)) {
      edges.add(within(query, afterLast, query.to()));
    }
    return edges;
  }

  private static LogQuery within(LogQuery q, LocalDateTime from, LocalDateTime to) {
    return new LogQuery(from, to, q.level(), q.source(), q.contains(), q.filter(), q.limit(), q.after());
  }
}

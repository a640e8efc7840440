package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every query shape the API issues uses an index on a table big enough (131,072 rows over 16 days)
 * for the optimiser to prefer one over a scan. The statements are LogSql's own, not copies.
 */
class LogQueryIndexTest {
  private static final LocalDateTime START = LocalDateTime.of(2024, 10, 1, 0, 0);
  /** 1,024 distinct rows, doubled 7 times = 131,072: well past where a full scan looks cheap. */
  private static final int BASE_ROWS = 1_024;
  private static final int DOUBLINGS = 7;
  private static TestDatabase db;
  private static LogQueryService service;

  @BeforeAll
  static void load() {
    db = TestDatabase.create("query_index");
    String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    StringBuilder insert = new StringBuilder(
        "INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id) VALUES ");
    for (int i = 0; i < BASE_ROWS; i++) {
      String ts = Timestamps.sqlValue(START.plusSeconds(i * 84L)); // one day of base rows
      insert.append(i == 0 ? "" : ",").append("('").append(ts).append("','").append(levels[i % levels.length])
          .append("','svc-").append(i % 20).append("','request ").append(i).append(" served','{\"email\":\"u")
          .append(i % 100).append("@x.io\",\"data\":{\"key\":").append(i).append("}}','").append(ts).append("','t')");
    }
    db.execute(insert.toString());
    for (int d = 0; d < DOUBLINGS; d++) {
      // Each copy lands 2^d mod 16 days later (plus d+1 s so copies do not tie): 16 days of rows.
      db.execute("INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id)"
          + " SELECT ts + INTERVAL " + (1 << d) % 16 + " DAY + INTERVAL " + (d + 1) + " SECOND, level, source, message,"
          + " attributes, received_at, router_id FROM logs");
    }
    db.countStoredRows();
    db.execute("ANALYZE TABLE logs, log_minute_counts, log_source_minute_counts");
    assertEquals((long) BASE_ROWS << DOUBLINGS, db.queryLong("SELECT COUNT(*) FROM logs"));
    service = new LogQueryService(db.dataSource());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static final String SEVERITY_WINDOW = "q: level gte warn in a window";

  @Test
  void everyApiQueryShapeUsesAKey() throws Exception {
    LocalDateTime from = START.plusDays(3).plusHours(12);
    LocalDateTime to = from.plusHours(1);
    Cursor cursor = new Cursor(START.plusDays(5), 1_000);
    Map<String, LogQuery> shapes = new LinkedHashMap<>();
    shapes.put("GET /logs (first page) and GET /event without q", LogQuery.all(100));
    shapes.put("cursor page", new LogQuery(null, null, null, null, null, null, 100, cursor));
    shapes.put("from/to", new LogQuery(from, to, null, null, null, null, 100, null));
    shapes.put("from/to + level (and /logs/retrieve)", new LogQuery(from, to, "ERROR", null, null, null, 100, null));
    shapes.put("level only, cursor page", new LogQuery(null, null, "ERROR", null, null, null, 100, cursor));
    shapes.put("from/to + source", new LogQuery(from, to, null, "svc-7", null, null, 100, null));
    shapes.put("from/to + level + source", new LogQuery(from, to, "WARN", "svc-7", null, null, 1_000, null));
    shapes.put("source only", new LogQuery(null, null, null, "svc-7", null, null, 100, null));
    shapes.put("one day + contains", new LogQuery(START.plusDays(2), START.plusDays(3), null, null, "request 7", null, 100, null));
    shapes.put("q: Django example", withFilter("((email eq 'u7@x.io') AND (createdAt gte '2024-10-5') AND (message ct 'served'))"));
    shapes.put(SEVERITY_WINDOW, withFilter("level gte warn AND timestamp gte '2024-10-04' AND timestamp lt '2024-10-05'"));
    shapes.put("q: attribute path only", withFilter("data.key eq 7"));
    shapes.put("q: OR of two sources", withFilter("component eq 'svc-1' OR component eq 'svc-2'"));
    for (Map.Entry<String, LogQuery> shape : shapes.entrySet()) {
      assertUsesKey(shape.getKey(), shape.getValue());
    }
  }

  /**
   * The explorer's histogram of a day: one range of the (level, ts, id) key per known level, read
   * from the key alone ("Using index"), never the rows; with a level filter, that level's range.
   */
  @Test
  void histogramCountsFromTheLevelKeyAlone() throws Exception {
    LocalDateTime from = START.plusDays(3);
    LocalDateTime to = from.plusDays(1);
    HistogramBuckets buckets = HistogramBuckets.of(from, to, 60);
    List<String> levels = List.of("DEBUG", "ERROR", "INFO", "WARN");
    LogQuery day = new LogQuery(from, to, null, null, null, null, 0, null);
    String plan = assertUsesKey("histogram: one day", LogSql.histogram(day, buckets, levels));
    assertTrue(plan.contains("key=logs_level_ts") && plan.contains("Using index"), plan);
    LogQuery errors = new LogQuery(from, to, "ERROR", null, null, null, 0, null);
    plan = assertUsesKey("histogram: one day, level=ERROR", LogSql.histogram(errors, buckets, List.of()));
    assertTrue(plan.contains("key=logs_level_ts") && plan.contains("Using index"), plan);
    List<String> sources = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sources.add("svc-" + i);
    }
    plan = assertUsesKey("sources: one day", LogSql.sources(day, sources, 10));
    assertTrue(plan.contains("key=logs_source_ts") && plan.contains("Using index"), plan);
    SqlFragment union = LogSql.histogram(day, buckets, levels);
    try (Connection c = db.dataSource().getConnection();
        var st = LogQueryService.prepare(c, new SqlFragment("EXPLAIN " + union.sql(), union.params()));
        ResultSet rs = st.executeQuery()) {
      int parts = 0;
      while (rs.next()) {
        if ("logs".equals(rs.getString("table"))) { // every bucket's SELECT: its level ranges, grouped in key order
          parts++;
          assertEquals("logs_level_ts", rs.getString("key"), "bucket " + parts);
          assertFalse(String.valueOf(rs.getString("Extra")).contains("temporary"), rs.getString("Extra"));
        }
      }
      assertEquals(buckets.count(), parts);
    }
    try (Connection c = db.dataSource().getConnection(); var st = c.createStatement();
        ResultSet rs = st.executeQuery("EXPLAIN " + LogSql.distinct("level", 201))) {
      rs.next();
      assertTrue(String.valueOf(rs.getString("Extra")).contains("Using index for group-by"), rs.getString("Extra"));
    }
  }

  /**
   * The histogram's whole minutes: one range of the primary key of a counts table (V4), (minute, …)
   * without a source, (source, minute, …) with one; grouped by bucket number in a small temporary
   * table (buckets × levels rows), never sorted.
   */
  @Test
  void histogramOfWholeMinutesReadsARangeOfACountsTablesPrimaryKey() throws Exception {
    LocalDateTime from = START.plusDays(3).plusSeconds(30);
    LocalDateTime to = from.plusDays(1);
    HistogramBuckets buckets = HistogramBuckets.of(from, to, 60);
    Map<String, LogQuery> shapes = new LinkedHashMap<>();
    shapes.put("log_minute_counts", new LogQuery(from, to, null, null, null, null, 0, null));
    shapes.put("log_minute_counts ", new LogQuery(from, to, "ERROR", null, null, null, 0, null));
    shapes.put("log_source_minute_counts", new LogQuery(from, to, null, "svc-7", null, null, 0, null));
    shapes.put("log_source_minute_counts ", new LogQuery(from, to, "WARN", "svc-7", null, null, 0, null));
    for (Map.Entry<String, LogQuery> shape : shapes.entrySet()) {
      CountedMinutes minutes = CountedMinutes.of(shape.getValue(), buckets).orElseThrow();
      SqlFragment sql = minutes.sql(shape.getValue(), buckets);
      assertTrue(sql.sql().contains("FROM " + shape.getKey().trim() + " WHERE"), sql.sql());
      Plan plan = explain(shape.getKey(), sql);
      assertEquals("range", plan.type(), plan.text());
      assertEquals("PRIMARY", plan.key(), plan.text());
      if (shape.getValue().source() != null) {
        // A range of (source, minute, …): that source's rows of the day, not every source's (20 of them).
        long dayOfAllSources = db.queryLong("SELECT COUNT(*) FROM log_source_minute_counts WHERE minute >= '"
            + Timestamps.sqlValue(minutes.first()) + "' AND minute <= '" + Timestamps.sqlValue(minutes.last()) + "'");
        assertTrue(plan.rows() * 5 < dayOfAllSources, plan.text() + " of " + dayOfAllSources);
      }
      assertFalse(String.valueOf(plan.extra()).contains("filesort"), plan.text());
      assertEquals(2, minutes.edges(shape.getValue()).size(), "the partial first and last minutes, from logs");
    }
  }

  /** A count reads one range of a key, not the whole key ("index") nor the table. */
  private static String assertUsesKey(String shape, SqlFragment select) throws Exception {
    Plan plan = explain(shape, select);
    assertFalse("index".equals(plan.type()), () -> shape + ": full index scan: " + plan.text());
    return plan.text();
  }

  private record Plan(String type, String key, long rows, String extra, String text) {}

  /** EXPLAINs the statement the API runs; it must use a key and not scan the table. */
  private static Plan explain(String shape, SqlFragment select) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        var st = LogQueryService.prepare(c, new SqlFragment("EXPLAIN " + select.sql(), select.params()));
        ResultSet rs = st.executeQuery()) {
      rs.next();
      Plan plan = new Plan(rs.getString("type"), rs.getString("key"), rs.getLong("rows"), rs.getString("Extra"),
          "type=" + rs.getString("type") + " key=" + rs.getString("key") + " rows=" + rs.getString("rows")
          + " extra=" + rs.getString("Extra"));
      System.out.printf("%-50s %s%n", shape, plan.text());
      assertNotNull(plan.key(), () -> shape + ": no key: " + plan.text() + "\n" + select.sql());
      assertFalse("ALL".equals(plan.type()), () -> shape + ": full scan: " + plan.text());
      return plan;
    }
  }

  private static LogQuery withFilter(String q) {
    return new LogQuery(null, null, null, null, null, service.parseFilter(q), 100, null);
  }

  private static void assertUsesKey(String shape, LogQuery query) throws Exception {
    Plan plan = explain(shape, LogSql.select(query));
    // The page comes out of the key in API order; a filesort would read the whole range first.
    // Except one documented case (docs/COMPATIBILITY.md, "optimizer"): for several levels in a time
    // window MariaDB 11's cost model picks the (level, ts) range and sorts it; what it reads is then
    // bounded by the window, not the table.
    boolean windowSortAllowed = shape.equals(SEVERITY_WINDOW) && TestDatabase.serverVersion().matches("1[1-9]\\..*MariaDB.*")
        && "range".equals(plan.type()) && "logs_level_ts".equals(plan.key());
    assertFalse(!windowSortAllowed && String.valueOf(plan.extra()).contains("filesort"),
        () -> shape + ": sorts: " + plan.text());
  }
}

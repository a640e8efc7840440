package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-minute counts (V4) that the real flush writes are exactly the rows stored in {@code logs},
 * de-duplicated retries and dead letters left out, by LOAD DATA and by INSERT; and GET /logs/histogram,
 * which reads them for whole minutes and {@code logs} for the partial ones, answers for any window what
 * counting the rows answers.
 */
class HistogramCountsTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2024, 10, 8, 10, 0);
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
  private static final String[] LEVELS = {"info", "INFO", "warn", "error", "debug", "fatal"};
  /**
   * As JSON string contents: case variants the database's collation merges; null and '' (both counted
   * under ''); bytes LOAD DATA escapes (backslash, tab); a quote for the upsert's SQL; multi-byte UTF-8
   * (counted from the record's bytes, stored through a String); and a trailing space (one key with "pay"
   * or two, as the column's collation decides, on both sides alike).
   */
  private static final String[] SOURCES = {"auth", "Auth", "pay", "", null, "cart", "O'Brien", "a\\\\b", "t\\tab",
      "na\u00efve", "\u65e5\u672c\u8a9e", "pay "};
  private static final int EVENTS_PER_BATCH = 120;
  private static final int DUPLICATES = 7;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"load_data", "insert"})
  void countsAreTheStoredRowsAndTheHistogramEqualsCountingTheRows(String method) throws Exception {
    Random random = new Random(14);
    try (TestDatabase db = TestDatabase.create("hist_counts_" + method)) {
      Map<String, String> config = Map.of("flush.method", method, "dedup.field", "event_id");
      String batchA = batch(random, "a", DUPLICATES);
      try (RouterHarness router = RouterHarness.start(db, dir, config)) {
        assertEquals(202, post(router, batchA, "k-a"));
        router.flush();
      }
      try (RouterHarness router = RouterHarness.start(db, dir, config)) {
        assertEquals(202, post(router, batchA, "k-a"), "a retry after a restart: dropped by the stored key at flush");
        assertEquals(202, post(router, batch(random, "b", 0), null));
        router.flush();
        // A value the column cannot hold: LOAD DATA warns, the INSERT path refuses it, it is dead-lettered.
        db.execute("ALTER TABLE logs MODIFY source VARCHAR(12)");
        String refused = "{\"timestamp\":\"2024-10-08T10:03:30Z\",\"level\":\"error\",\"source\":\"" + "s".repeat(20)
            + "\",\"message\":\"refused\"}";
        assertEquals(202, post(router, "[" + refused + "," + batch(random, "c", 0).substring(1), null));
        router.flush();
        long expectedRows = 3L * EVENTS_PER_BATCH - DUPLICATES;
        assertEquals(expectedRows, db.queryLong("SELECT COUNT(*) FROM logs"), "retry and duplicates not stored");
        assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs_rejected"));
        assertEquals(expectedRows, db.queryLong("SELECT SUM(events) FROM log_minute_counts"));
        assertEquals(expectedRows, db.queryLong("SELECT SUM(events) FROM log_source_minute_counts"));
        assertEquals(List.of("lane=0 router_id=test-router"),
            db.queryRows("SELECT DISTINCT CONCAT('lane=', lane, ' router_id=', router_id) FROM log_source_minute_counts"));
        assertEquals(db.queryRows("SELECT DATE_FORMAT(ts, '%Y-%m-%d %H:%i'), UPPER(level), COUNT(*) FROM logs GROUP BY 1, 2 ORDER BY 1, 2"),
            db.queryRows("SELECT DATE_FORMAT(minute, '%Y-%m-%d %H:%i'), UPPER(level), SUM(events) FROM log_minute_counts"
                + " GROUP BY 1, 2 ORDER BY 1, 2"));
        assertEquals(db.queryRows("SELECT UPPER(COALESCE(source, '')), DATE_FORMAT(ts, '%Y-%m-%d %H:%i'), level, COUNT(*)"
                + " FROM logs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
            db.queryRows("SELECT UPPER(source), DATE_FORMAT(minute, '%Y-%m-%d %H:%i'), level, SUM(events)"
                + " FROM log_source_minute_counts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"));

        List<Row> stored = storedRows(db);
        for (int i = 0; i < 60; i++) {
          assertHistogramCountsTheRows(router, stored, random);
        }
        assertAHandInsertedRowIsNotCounted(router, db);
      }
    }
  }

  /** A random window (seconds and microseconds at either end), bucket count and filter. */
  private static void assertHistogramCountsTheRows(RouterHarness router, List<Row> stored, Random random) throws Exception {
    LocalDateTime from = T0.minusSeconds(30).plusNanos(random.nextInt(600_000_000) * 1_000L);
    LocalDateTime to = from.plusSeconds(30 + random.nextInt(600)).plusNanos(random.nextInt(1_000_000) * 1_000L);
    if (random.nextInt(4) == 0) {
      to = to.withSecond(59).withNano(999_999_000); // a window that ends with a whole minute
    }
    String level = random.nextInt(3) == 0 ? "ERROR" : null;
    String source = random.nextInt(3) == 0 ? "auth" : null;
    int buckets = 1 + random.nextInt(12);
    StringBuilder uri = new StringBuilder("/logs/histogram?from=" + enc(ISO.format(from)) + "&to=" + enc(ISO.format(to))
        + "&buckets=" + buckets);
    if (level != null) {
      uri.append("&level=").append(level);
    }
    if (source != null) {
      uri.append("&source=").append(source);
    }
    RouterHarness.Response response = router.get(uri.toString());
    assertEquals(200, response.status(), response.body());
    JsonNode h = QueryServer.JSON.readTree(response.body());
    long width = h.get("bucket_seconds").asLong();
    for (JsonNode bucket : h.get("buckets")) {
      LocalDateTime start = LocalDateTime.parse(bucket.get("start").asText(), ISO);
      Map<String, Long> expected = new TreeMap<>();
      for (Row r : stored) {
        boolean inBucket = !r.ts.isBefore(start) && r.ts.isBefore(start.plusSeconds(width));
        boolean inWindow = !r.ts.isBefore(from) && !r.ts.isAfter(to);
        if (inBucket && inWindow && (level == null || level.equals(r.level))
            && (source == null || source.equalsIgnoreCase(r.source))) {
          expected.merge(r.level, 1L, Long::sum);
        }
      }
      Map<String, Long> actual = new TreeMap<>();
      bucket.get("counts").fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asLong()));
      assertEquals(expected, actual, uri + " bucket " + start);
    }
  }

  /**
   * Counts are written by the flush: a row a DBA inserts into logs by hand is in the rows but not in
   * the counts (docs/DBA.md), so a whole-minute histogram leaves it out while a {@code q} one (counted
   * from the rows) has it. Shows which path answered.
   */
  private static void assertAHandInsertedRowIsNotCounted(RouterHarness router, TestDatabase db) throws Exception {
    db.execute("INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id)"
        + " VALUES ('2024-10-08 10:02:10', 'FATAL', 'by-hand', 'by hand', '{}', '2024-10-08 10:02:10', 'dba')");
    String window = "/logs/histogram?from=2024-10-08T10:02:00Z&to=2024-10-08T10:02:59.999999Z&buckets=1&level=FATAL";
    long counted = db.queryLong("SELECT COUNT(*) FROM logs WHERE level = 'FATAL' AND ts >= '2024-10-08 10:02'"
        + " AND ts < '2024-10-08 10:03'");
    assertEquals(counted - 1, total(router, window), "whole minute: from the counts");
    assertEquals(counted, total(router, window + "&q=" + enc("message ne 'x'")), "with q: from the rows");
  }

  private static long total(RouterHarness router, String uri) throws Exception {
    RouterHarness.Response response = router.get(uri);
    assertEquals(200, response.status(), response.body());
    return QueryServer.JSON.readTree(response.body()).get("total").asLong();
  }

  /** A JSON array of events over T0 .. T0 + 9 min, some on a minute's first or last microsecond. */
  private static String batch(Random random, String name, int duplicates) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
      long micros = random.nextInt(9 * 60) * 1_000_000L + switch (i % 10) {
        case 0 -> 0L;
        case 1 -> 999_999L;
        default -> random.nextInt(1_000_000);
      };
      LocalDateTime ts = T0.plusNanos(micros * 1_000);
      String source = SOURCES[random.nextInt(SOURCES.length)];
      // The last `duplicates` events repeat the first one's event_id: de-duplicated at flush.
      String eventId = i >= EVENTS_PER_BATCH - duplicates ? name + "-0" : name + "-" + i;
      json.append(i == 0 ? "" : ",").append("{\"timestamp\":\"").append(ISO.format(ts)).append("\",\"level\":\"")
          .append(LEVELS[random.nextInt(LEVELS.length)]).append('"')
          .append(source == null ? "" : ",\"source\":\"" + source + "\"")
          .append(",\"message\":\"").append(name).append(' ').append(i).append("\",\"event_id\":\"").append(eventId)
          .append("\"}");
    }
    return json.append(']').toString();
  }

  private static int post(RouterHarness router, String body, String idempotencyKey) {
    String[] headers = idempotencyKey == null ? new String[0] : new String[] {"Idempotency-Key", idempotencyKey};
    return TestHttp.postJson(router.url("/log"), body, headers).statusCode();
  }

  private record Row(LocalDateTime ts, String level, String source) {}

  private static List<Row> storedRows(TestDatabase db) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT DATE_FORMAT(ts, '%Y-%m-%dT%H:%i:%s.%fZ'), level, source FROM logs")) {
      while (rs.next()) {
        rows.add(new Row(LocalDateTime.parse(rs.getString(1), ISO), rs.getString(2), rs.getString(3)));
      }
    }
    return rows;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

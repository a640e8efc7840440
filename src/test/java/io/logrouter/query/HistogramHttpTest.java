package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logrouter.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /logs/histogram, /logs/sources and /logs/sql on a real database: the explorer's counts and copy-as-SQL. */
class HistogramHttpTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2024, 10, 8, 10, 0);
  private static TestDatabase db;
  private static QueryServer server;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create("histogram_http");
    var ds = db.dataSource();
    // Minute 0: 2 INFO + 1 ERROR; minute 1: 1 WARN; minute 3: 3 INFO (one at the very end of the minute);
    // a row before and one after the window; sources auth x3, pay x3, none x1.
    QueryServer.insert(ds, T0.minusSeconds(1), "INFO", "auth", "before the window", "{}");
    QueryServer.insert(ds, T0, "INFO", "auth", "login ok", "{\"user\":{\"id\":1}}");
    QueryServer.insert(ds, T0.plusSeconds(30), "INFO", "pay", "paid", "{\"user\":{\"id\":2}}");
    QueryServer.insert(ds, T0.plusSeconds(59), "ERROR", "pay", "card declined", "{\"user\":{\"id\":2}}");
    QueryServer.insert(ds, T0.plusSeconds(60), "WARN", "auth", "slow login", "{}");
    QueryServer.insert(ds, T0.plusMinutes(3), "INFO", null, "tick", "{}");
    QueryServer.insert(ds, T0.plusMinutes(3).plusSeconds(10), "INFO", "auth", "login ok", "{\"user\":{\"id\":3}}");
    QueryServer.insert(ds, T0.plusMinutes(3).plusSeconds(59).plusNanos(999_999_000), "INFO", "pay", "paid", "{}");
    QueryServer.insert(ds, T0.plusMinutes(4), "INFO", "pay", "after the window", "{}");
    server = new QueryServer(ds);
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  private static final String FROM = "2024-10-08T10:00:00Z";
  private static final String TO = "2024-10-08T10:03:59.999999Z";

  @Test
  void countsPerMinuteAndLevelCoverTheWholeWindowWithEmptyBuckets() throws Exception {
    JsonNode h = server.getJson(200, "/logs/histogram", "from", FROM, "to", TO, "buckets", "4");
    assertEquals(60, h.get("bucket_seconds").asInt());
    JsonNode buckets = h.get("buckets");
    assertEquals(4, buckets.size());
    assertEquals("2024-10-08T10:00:00.000000Z", buckets.get(0).get("start").asText());
    assertEquals("{\"INFO\":2,\"ERROR\":1}", buckets.get(0).get("counts").toString());
    assertEquals("{\"WARN\":1}", buckets.get(1).get("counts").toString());
    assertEquals("{}", buckets.get(2).get("counts").toString(), "an empty bucket is still there");
    assertEquals("{\"INFO\":3}", buckets.get(3).get("counts").toString());
    assertEquals("{\"INFO\":5,\"WARN\":1,\"ERROR\":1}", h.get("levels").toString(), "levels in severity order");
    assertEquals(7, h.get("total").asInt());
  }

  @Test
  void bucketsAreRoundWidthsAlignedToTheEpochAndFiltersApply() throws Exception {
    // 10:00:30 .. 10:03:59 in about 2 buckets: 2-minute buckets starting at 10:00, the first partly outside.
    JsonNode h = server.getJson(200, "/logs/histogram", "from", "2024-10-08T10:00:30Z", "to", TO, "buckets", "2");
    assertEquals(120, h.get("bucket_seconds").asInt());
    assertEquals("2024-10-08T10:00:00.000000Z", h.get("buckets").get(0).get("start").asText());
    assertEquals(6, h.get("total").asInt(), "the row at 10:00:00, before 'from' in the first bucket, does not count");
    JsonNode filtered = server.getJson(200, "/logs/histogram", "from", FROM, "to", TO,
        "q", "user.id eq 2 OR level gte warn", "source", "pay");
    assertEquals("{\"INFO\":1,\"ERROR\":1}", filtered.get("levels").toString());
    JsonNode byLevel = server.getJson(200, "/logs/histogram", "from", FROM, "to", TO, "level", "info", "contains", "LOGIN");
    assertEquals(2, byLevel.get("total").asInt());
  }

  @Test
  void sourcesAreCountedMostFrequentFirstWithEventsWithoutOne() throws Exception {
    JsonNode s = server.getJson(200, "/logs/sources", "from", FROM, "to", TO).get("sources");
    assertEquals("[{\"source\":\"auth\",\"count\":3},{\"source\":\"pay\",\"count\":3},{\"source\":null,\"count\":1}]",
        s.toString());
    assertEquals(1, server.getJson(200, "/logs/sources", "from", FROM, "to", TO, "limit", "1").get("sources").size());
    assertEquals("[{\"source\":\"pay\",\"count\":2}]",
        server.getJson(200, "/logs/sources", "from", FROM, "to", TO, "q", "message eq paid").get("sources").toString());
  }

  @Test
  void copyAsSqlRunsInTheDatabaseAndSelectsWhatTheApiAnswers() throws Exception {
    String q = "(message ct 'it''s 100% \\ ok' OR user.id gte 2) AND source ne 'x'";
    long quote = QueryServer.insert(db.dataSource(), T0.plusMinutes(2), "INFO", "quote", "it's 100% \\ ok", "{}");
    try {
      String sql = server.getJson(200, "/logs/sql", "from", FROM, "to", TO, "q", q, "limit", "50").get("sql").asText();
      assertTrue(sql.startsWith("SELECT id, ts, level, source, message, attributes FROM logs WHERE ts >= '2024-10-08 10:00:00"), sql);
      assertTrue(sql.endsWith("ORDER BY ts DESC, id DESC LIMIT 50"), sql);
      List<Long> api = new ArrayList<>();
      server.getJson(200, "/logs", "from", FROM, "to", TO, "q", q, "limit", "50").get("logs")
          .forEach(row -> api.add(row.get("id").asLong()));
      List<Long> pasted = new ArrayList<>();
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          pasted.add(rs.getLong(1));
        }
      }
      assertEquals(4, api.size(), "the quoted row and the three with user.id >= 2: " + api);
      assertEquals(api, pasted);
    } finally {
      QueryServer.delete(db.dataSource(), quote);
    }
  }

  @Test
  void badParametersAre400NamingTheParameter() throws Exception {
    assertBad("from", "/logs/histogram", "to", TO);
    assertBad("buckets", "/logs/histogram", "from", FROM, "buckets", "0");
    assertBad("buckets", "/logs/histogram", "from", FROM, "buckets", "1001");
    assertBad("buckets", "/logs/histogram", "from", FROM, "buckets", "many");
    assertBad("to", "/logs/histogram", "from", FROM, "to", "2024-10-07");
    assertBad("bucket", "/logs/histogram", "from", FROM, "bucket", "5");
    assertBad("level", "/logs/histogram", "from", FROM, "level", "X".repeat(17));
    JsonNode error = server.getJson(400, "/logs/histogram", "from", FROM, "q", "level eq");
    assertEquals("q", error.get("parameter").asText());
    assertEquals(8, error.get("position").asInt());
    assertBad("limit", "/logs/sources", "limit", "101");
    assertBad("cursor", "/logs/sql", "cursor", "x");
  }

  @Test
  void aWideWindowStillHasAtMostAboutTheBucketsAsked() throws Exception {
    JsonNode h = server.getJson(200, "/logs/histogram", "from", "1000-01-01", "to", "9999-12-31T23:59:59Z", "buckets", "1000");
    assertTrue(h.get("buckets").size() <= 1002, "buckets: " + h.get("buckets").size());
    assertEquals(9, h.get("total").asInt());
  }

  private static void assertBad(String parameter, String path, String... nameValues) throws Exception {
    JsonNode error = server.getJson(400, path, nameValues);
    assertEquals(parameter, error.get("parameter").asText(), error.toString());
  }
}

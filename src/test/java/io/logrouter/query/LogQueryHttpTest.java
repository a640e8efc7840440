package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LogQueryHttpTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2024, 10, 8, 0, 0);
  private static TestDatabase db;
  private static QueryServer server;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create("query_http");
    var ds = db.dataSource();
    QueryServer.insert(ds, T0, "ERROR", "db", "Database connection failed.", "{}");
    QueryServer.insert(ds, T0.plusHours(1), "INFO", "auth", "User login successful.", "{\"user_id\":42}");
    QueryServer.insert(ds, T0.plusHours(2), "WARN", "os", "High memory usage detected.", null);
    QueryServer.insert(ds, T0.plusHours(3).plusNanos(123_456_000), "INFO", "order",
        "the buyer #1 has placed an order successfully",
        "{\"email\":\"diego@chefhero.com\",\"environment\":\"production\",\"data\":{\"key\":123,\"another key\":\"Some value\"}}");
    QueryServer.insert(ds, T0.plusHours(4), "INFO", "pay", "100% of a_b paid 🚀", "{\"data\":{\"user\":{\"id\":7}}}");
    QueryServer.insert(ds, T0.plusHours(5), "INFO", "pay", "1000 of aXb paid 🎉", "{\"data\":{\"user\":{\"id\":8}}}");
    server = new QueryServer(ds);
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  @Test
  void logsComeNewestFirstWithTheRecordShape() throws Exception {
    JsonNode page = server.getJson(200, "/logs");
    JsonNode logs = page.get("logs");
    assertEquals(6, logs.size());
    assertTrue(page.get("next").isNull());
    JsonNode order = logs.get(2);
    assertEquals("2024-10-08T03:00:00.123456Z", order.get("timestamp").asText());
    assertEquals("order", order.get("source").asText());
    assertTrue(order.get("attributes").isObject(), "attributes is an object, not a string");
    assertEquals(123, order.get("attributes").get("data").get("key").asInt());
    assertTrue(logs.get(3).get("attributes").isObject(), "NULL attributes read as {}");
    assertTrue(logs.get(0).get("timestamp").asText().compareTo(logs.get(1).get("timestamp").asText()) > 0);
  }

  @Test
  void fromAndToAreInclusiveAndOffsetsAreConvertedToUtc() throws Exception {
    JsonNode logs = server.getJson(200, "/logs", "from", "2024-10-08T03:00:00+02:00", "to", "2024-10-08T02:00:00Z").get("logs");
    assertEquals(List.of("WARN", "INFO"), levels(logs));
  }

  @Test
  void levelIsCaseInsensitiveAndWarningMeansWarn() throws Exception {
    assertEquals(List.of("WARN"), levels(server.getJson(200, "/logs", "level", "warning").get("logs")));
  }

  @Test
  void containsTakesPercentAndUnderscoreLiterallyAndKeepsEmojiApart() throws Exception {
    assertEquals(1, server.getJson(200, "/logs", "contains", "100% of a_b").get("logs").size());
    JsonNode rocket = server.getJson(200, "/logs", "contains", "🚀").get("logs");
    assertEquals(1, rocket.size());
    assertEquals("100% of a_b paid 🚀", rocket.get(0).get("message").asText());
    assertEquals(1, server.getJson(200, "/logs", "contains", "DATABASE CONNECTION").get("logs").size());
  }

  @Test
  void filterLanguageSelectsByAttributePathsAndColumns() throws Exception {
    String q = "((email eq 'Diego@ChefHero.com') AND (createdAt gte '2018-1-1') AND (message ct 'buyer'))";
    assertEquals(List.of("INFO"), levels(server.getJson(200, "/logs", "q", q).get("logs")));
    JsonNode byPath = server.getJson(200, "/logs", "q", "data.user.id eq 7 OR (level eq error AND source eq db)").get("logs");
    assertEquals(List.of("pay", "db"), sources(byPath));
    assertEquals(List.of("pay", "pay"), sources(server.getJson(200, "/logs", "q", "data.user.id gt 6").get("logs")));
  }

  @Test
  void pagesWalkEveryRowOnceWhileNewRowsArrive() throws Exception {
    TestDatabase walkDb = TestDatabase.create("query_walk");
    try (QueryServer walkServer = new QueryServer(walkDb.dataSource())) {
      // 60 rows, many sharing a timestamp: the id must break ties or pages would repeat or skip.
      Set<Long> expected = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        expected.add(QueryServer.insert(walkDb.dataSource(), T0.plusSeconds(i / 7), "INFO", "s", "m" + i, "{}"));
      }
      List<Long> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        JsonNode page = cursor == null ? walkServer.getJson(200, "/logs", "limit", "7")
            : walkServer.getJson(200, "/logs", "limit", "7", "cursor", cursor);
        page.get("logs").forEach(row -> seen.add(row.get("id").asLong()));
        // Newer rows arrive between pages, with timestamps at and above the walk's position.
        QueryServer.insert(walkDb.dataSource(), T0.plusSeconds(100 + pages), "INFO", "s", "late", "{}");
        cursor = page.get("next").isNull() ? null : page.get("next").asText();
        pages++;
      } while (cursor != null);
      assertEquals(60, seen.size(), "no row twice");
      assertEquals(expected, new HashSet<>(seen), "no row skipped");
      assertEquals(9, pages);
    } finally {
      walkDb.close();
    }
  }

  @Test
  void badParametersAre400NamingTheParameter() throws Exception {
    assertBad("from", "from", "yesterday");
    assertBad("to", "to", "2024-10-08T25:00:00Z");
    assertBad("limit", "limit", "0");
    assertBad("limit", "limit", "1001");
    assertBad("limit", "limit", "ten");
    assertBad("cursor", "cursor", "not-a-cursor");
    assertBad("levle", "levle", "ERROR");
    assertBad("to", "from", "2024-10-09", "to", "2024-10-08");
  }

  /** Issue 15: values past what SQL can hold were a 503 (Infinity) or silently wrapped to year 0000. */
  @Test
  void edgeValuesAre400NamingTheParameter() throws Exception {
    assertBad("q", "q", "user_id gt " + "9".repeat(400));
    assertBad("to", "to", "9999-12-31T23:00:00-05:00"); // year 10000 in UTC
    assertBad("from", "from", "0999-12-31T23:59:59Z");
    assertBad("q", "q", "createdAt gte '9999-12-31T23:00:00-05:00'");
    long micros = java.time.temporal.ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0),
        LocalDateTime.of(10000, 1, 1, 0, 0));
    byte[] forged = java.nio.ByteBuffer.allocate(17).put((byte) 1).putLong(micros).putLong(1).array();
    assertBad("cursor", "cursor", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged));
    // At the limits: accepted.
    assertEquals(6, server.getJson(200, "/logs", "to", "9999-12-31T23:59:59.999999Z").get("logs").size());
    assertEquals(6, server.getJson(200, "/logs", "from", "1000-01-01").get("logs").size());
    assertEquals(0, server.getJson(200, "/logs", "q", "createdAt eq '9999-12-31'").get("logs").size());
    assertEquals(0, server.getJson(200, "/logs", "q", "user_id gt " + "9".repeat(300)).get("logs").size());
  }

  @Test
  void malformedFilterIs400SayingWhereItBroke() throws Exception {
    JsonNode error = server.getJson(400, "/logs", "q", "(email eq 'a@b.c' AND createdAt gte)");
    assertEquals("q", error.get("parameter").asText());
    assertEquals(35, error.get("position").asInt());
    assertTrue(error.get("error").asText().contains("a value"), error.toString());
  }

  @Test
  void injectionAttemptsAreJustData() throws Exception {
    assertEquals(0, server.getJson(200, "/logs", "source", "x' OR '1'='1").get("logs").size());
    assertEquals(0, server.getJson(200, "/logs", "q", "message eq \"'; DROP TABLE logs; --\"").get("logs").size());
    // Backslash is data, so the quote after it closes the string and the rest is not a filter.
    server.getJson(400, "/logs", "q", "email eq 'x\\' OR 1=1 -- '");
    server.getJson(400, "/logs", "q", "data.\"x\" eq 1");
    assertEquals(6, db.queryLong("SELECT COUNT(*) FROM logs WHERE router_id = 'test'"));
  }

  @Test
  void djangoEventRouteAnswersInThatSystemsShape() throws Exception {
    JsonNode events = server.getJson(200, "/event", "q", "((email eq 'diego@chefhero.com') AND (createdAt gte '2018-1-1') AND (message ct 'buyer' ))");
    assertEquals(1, events.size());
    JsonNode e = events.get(0);
    assertEquals("diego@chefhero.com", e.get("email").asText());
    assertEquals("production", e.get("environment").asText());
    assertEquals("order", e.get("component").asText());
    assertEquals("Some value", e.get("data").get("another key").asText());
    assertEquals(1728356400L, e.get("createdAt").asLong());
    assertEquals(6, server.getJson(200, "/event").size());
  }

  @Test
  void goRetrieveRouteIsInclusiveWithExactLevelAndRejectsBadTimes() throws Exception {
    JsonNode logs = server.getJson(200, "/logs/retrieve", "startTime", "2024-10-08T00:00:00Z",
        "endTime", "2024-10-08T02:00:00Z", "logLevel", "WARNING");
    assertEquals(1, logs.size());
    assertEquals("High memory usage detected.", logs.get(0).get("message").asText());
    assertEquals("2024-10-08T02:00:00.000000Z", logs.get(0).get("timestamp").asText());
    JsonNode error = server.getJson(400, "/logs/retrieve", "startTime", "2024-10-07 20h");
    assertEquals("startTime", error.get("parameter").asText());
  }

  @Test
  void aliasesCarryTheNextCursorInAHeader() throws Exception {
    TestHttp.Response first = server.get("/logs/retrieve", "limit", "4");
    String next = first.header("X-Next-Cursor").orElseThrow();
    JsonNode rest = QueryServer.JSON.readTree(server.get("/logs/retrieve", "limit", "4", "cursor", next).body());
    assertEquals(2, rest.size());
  }

  @Test
  void openApiIsServed() throws Exception {
    assertEquals("3.0.3", server.getJson(200, "/openapi.json").get("openapi").asText());
  }

  private static void assertBad(String parameter, String... nameValues) throws Exception {
    JsonNode error = server.getJson(400, "/logs", nameValues);
    assertEquals(parameter, error.get("parameter").asText(), error.toString());
    assertTrue(error.get("error").asText().contains(parameter), error.toString());
  }

  private static List<String> levels(JsonNode logs) {
    List<String> out = new ArrayList<>();
    logs.forEach(row -> out.add(row.get("level").asText()));
    return out;
  }

  private static List<String> sources(JsonNode logs) {
    List<String> out = new ArrayList<>();
    logs.forEach(row -> out.add(row.get("source").asText()));
    return out;
  }
}

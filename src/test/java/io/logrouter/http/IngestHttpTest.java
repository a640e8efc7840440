package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterHarness.Response;
import io.logrouter.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest over a real socket into a real queue and database. */
class IngestHttpTest {
  @TempDir
  static Path queueDir;
  static TestDatabase db;
  static RouterHarness router;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("ingest_http");
    router = RouterHarness.start(db, queueDir, Map.of("http.max.body.bytes", "1MB", "event.max.message.bytes", "200KB"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  @BeforeEach
  void emptyTable() {
    router.flush();
    db.execute("DELETE FROM logs");
  }

  private long rows() {
    return db.queryLong("SELECT COUNT(*) FROM logs");
  }

  @Test
  void singleEventIsAcceptedAndReachesMysqlOnFlush() {
    Response r = router.post("/log", "{\"timestamp\":\"2023-11-07T10:00:00Z\",\"level\":\"info\",\"source\":\"auth\","
        + "\"message\":\"User login successful\",\"user_id\":42}");
    assertEquals(202, r.status());
    assertEquals("{\"accepted\":1}", r.body());
    assertEquals(1, router.flush());
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE level='INFO' AND source='auth' AND router_id='test-router'"
        + " AND message='User login successful' AND ts='2023-11-07 10:00:00' AND JSON_EXTRACT(attributes,'$.user_id')=42"));
  }

  @Test
  void arrayNdjsonAndGzipAreAccepted() {
    assertEquals("{\"accepted\":2}", router.post("/log", "[{\"message\":\"a\"},{\"message\":\"b\"}]").body());
    byte[] nd = "{\"message\":\"c\"}\n{\"message\":\"d\"}\n{\"message\":\"e\"}\n".getBytes(StandardCharsets.UTF_8);
    assertEquals("{\"accepted\":3}", router.post("/log", nd, "application/x-ndjson", null).body());
    assertEquals(202, router.post("/log", RouterHarness.gzip(nd), "application/x-ndjson", "gzip").status());
    router.flush();
    assertEquals(8, rows());
  }

  @Test
  void aliasRoutesOfReplacedSystemsTakeTheirPayloads() {
    assertEquals(202, router.post("/log-event", "{\"timestamp\":\"2023-11-07T10:00:00Z\",\"event_type\":\"ERROR\","
        + "\"message\":\"User login failed\",\"source\":\"auth-service\"}").status());
    assertEquals(202, router.post("/event", "{\"email\":\"diego@chefhero.com\",\"environment\":\"production\","
        + "\"component\":\"order\",\"message\":\"the buyer #1 has placed an order successfully\","
        + "\"data\":{\"key\":123,\"another key\":\"Some value\"}}").status());
    assertEquals("{\"accepted\":3}", router.post("/logs/batch", "[{\"timestamp\":\"2024-10-08T00:00:00Z\",\"level\":\"ERROR\","
        + "\"message\":\"Database connection failed.\"},{\"timestamp\":\"2024-10-08T01:00:00Z\",\"level\":\"INFO\","
        + "\"message\":\"User login successful.\"},{\"timestamp\":\"2024-10-08T02:00:00Z\",\"level\":\"WARNING\","
        + "\"message\":\"High memory usage detected.\"}]").body());
    assertEquals(202, router.post("/log", "{\"id\":7,\"unix_ts\":1700000000,\"user_id\":42,\"event_name\":\"login\"}").status());
    router.flush();
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE level='ERROR' AND source='auth-service'"));
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE source='order'"
        + " AND JSON_UNQUOTE(JSON_EXTRACT(attributes,'$.email'))='diego@chefhero.com'"
        + " AND JSON_EXTRACT(attributes,'$.data.key')=123"));
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE level='WARN' AND ts='2024-10-08 02:00:00'"));
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message IS NULL AND ts='2023-11-14 22:13:20'"
        + " AND JSON_UNQUOTE(JSON_EXTRACT(attributes,'$.event_name'))='login' AND JSON_EXTRACT(attributes,'$.id')=7"));
  }

  @Test
  void sameClientIdTwiceIsTwoRows() {
    router.post("/log", "{\"id\":7,\"message\":\"first\"}");
    router.post("/log", "{\"id\":7,\"message\":\"second\"}");
    router.flush();
    assertEquals(2, db.queryLong("SELECT COUNT(*) FROM logs WHERE JSON_EXTRACT(attributes,'$.id')=7"));
  }

  @Test
  void emojiFourByteScriptsAndA75kBMultibyteMessageRoundTripByteExact() throws Exception {
    String emoji = "deploy 🚀🔥 done ✅ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱𠝹 👩‍👩‍👧";
    String big = "日本語のログ🚀".repeat(75_000 / "日本語のログ🚀".getBytes(StandardCharsets.UTF_8).length + 1);
    assertTrue(big.getBytes(StandardCharsets.UTF_8).length >= 75_000);
    router.post("/log", "{\"source\":\"s1\",\"message\":\"" + emoji + "\",\"tag\":\"" + emoji + "\"}");
    router.post("/log", "{\"source\":\"s2\",\"message\":\"" + big + "\"}");
    router.flush();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT source, message, JSON_VALUE(attributes,'$.tag') FROM logs ORDER BY source")) {
      assertTrue(rs.next());
      assertArrayEquals(emoji.getBytes(StandardCharsets.UTF_8), rs.getBytes(2));
      assertArrayEquals(emoji.getBytes(StandardCharsets.UTF_8), rs.getString(3).getBytes(StandardCharsets.UTF_8));
      assertTrue(rs.next());
      assertArrayEquals(big.getBytes(StandardCharsets.UTF_8), rs.getBytes(2));
    }
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message LIKE '%🚀🔥%'"));
    assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs WHERE message LIKE '%🎉%'"), "emoji compare exactly");
  }

  @Test
  void timestampsWithOffsetsLandInUtcWithMicroseconds() {
    router.post("/log", "[{\"source\":\"a\",\"timestamp\":\"2023-11-07T10:00:00.123456+02:00\"},"
        + "{\"source\":\"b\",\"timestamp\":\"2023-11-07T10:00:00-05:30\"},{\"source\":\"c\",\"timestamp\":1699351200123}]");
    router.flush();
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE source='a' AND ts='2023-11-07 08:00:00.123456'"));
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE source='b' AND ts='2023-11-07 15:30:00'"));
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE source='c' AND ts='2023-11-07 10:00:00.123'"));
  }

  @Test
  void missingTimestampIsTheReceiveTimeNotTheFlushTime() throws Exception {
    LocalDateTime before = LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    router.post("/log", "{\"message\":\"no time\"}");
    LocalDateTime after = LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
    Thread.sleep(1_500);
    router.flush();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ts, received_at FROM logs WHERE message='no time'")) {
      assertTrue(rs.next());
      LocalDateTime ts = rs.getObject(1, LocalDateTime.class);
      assertEquals(ts, rs.getObject(2, LocalDateTime.class));
      assertTrue(!ts.isBefore(before) && !ts.isAfter(after), ts + " not within " + before + ".." + after);
    }
  }

  @Test
  void badInputGetsJsonErrorsAndNothingOfTheRequestIsQueued() {
    long backlog = router.router().gate().backlogEvents();
    Response wrongType = router.post("/log", "[{\"message\":\"fine\"},{\"message\":\"fine\",\"level\":42}]");
    assertEquals(400, wrongType.status());
    assertTrue(wrongType.body().contains("\"event\":1") && wrongType.body().contains("\"field\":\"level\""), wrongType.body());
    assertEquals(400, router.post("/log", "{\"message\": \"unterminated").status());
    assertEquals(400, router.post("/log", "[1,2,3]").status());
    assertEquals(400, router.post("/log", "").status());
    assertEquals(415, router.post("/log", "<xml/>".getBytes(StandardCharsets.UTF_8), "application/xml", null).status());
    assertEquals(415, router.post("/log", "{}".getBytes(StandardCharsets.UTF_8), "application/json", "br").status());
    assertEquals(400, router.post("/log", "not gzip".getBytes(StandardCharsets.UTF_8), "application/json", "gzip").status());
    Response tooBig = router.post("/log", "{\"message\":\"" + "x".repeat(1_100_000) + "\"}");
    assertEquals(413, tooBig.status());
    assertTrue(tooBig.body().startsWith("{\"error\":"), tooBig.body());
    assertEquals(413, router.post("/log", "{\"message\":\"" + "x".repeat(300_000) + "\"}").status(), "message limit");
    byte[] bomb = RouterHarness.gzip(("[" + "{\"message\":\"aaaaaaaaaaaaaaaa\"},".repeat(100_000) + "{}]").getBytes(StandardCharsets.UTF_8));
    assertTrue(bomb.length < 1_000_000);
    assertEquals(413, router.post("/log", bomb, "application/json", "gzip").status(), "gzip bomb");
    assertEquals(backlog, router.router().gate().backlogEvents(), "nothing of a refused request is queued");
    assertEquals(0, router.flush());
    assertEquals(0, rows());
    assertEquals(200, router.get("/health").status(), "the server stays healthy");
    assertEquals(202, router.post("/log", "{\"message\":\"still fine\"}").status());
  }

  @Test
  void unknownRouteAndWrongMethodAreJsonErrors() {
    Response r = router.get("/nope");
    assertEquals(404, r.status());
    assertTrue(r.body().startsWith("{\"error\":"));
    assertEquals(405, router.get("/log").status());
  }
}

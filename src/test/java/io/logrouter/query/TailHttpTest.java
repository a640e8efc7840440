package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /logs/tail on a real router: events from the queue before any flush, filters, caps, heartbeat, shutdown. */
class TailHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestDatabase db;

  @TempDir
  Path dir;

  @BeforeAll
  static void database() {
    db = TestDatabase.create("tail_http");
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  private RouterHarness router(String name, String... config) {
    Map<String, String> all = new HashMap<>();
    all.put("flush.interval", "1h"); // nothing reaches the database unless a test flushes
    for (int i = 0; i < config.length; i += 2) {
      all.put(config[i], config[i + 1]);
    }
    return RouterHarness.start(db, dir.resolve(name), all);
  }

  private static SseClient tail(RouterHarness router, String query) throws Exception {
    return new SseClient(router.url("/logs/tail" + query));
  }

  private static JsonNode json(SseClient.Event event) throws Exception {
    assertNotNull(event, "an event within " + WAIT);
    return QueryServer.JSON.readTree(event.data());
  }

  @Test
  void eventsAcceptedAfterTheStreamOpensArriveFilteredBeforeAnyFlush() throws Exception {
    try (RouterHarness router = router("q")) {
      router.post("/log", "{\"level\":\"warn\",\"message\":\"before the stream\",\"user\":{\"id\":7}}");
      String q = java.net.URLEncoder.encode("level gte warn AND user.id eq 7", java.nio.charset.StandardCharsets.UTF_8);
      try (SseClient stream = tail(router, "?q=" + q)) {
        assertEquals(200, stream.status());
        assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
        assertEquals(202, router.post("/log", "[{\"level\":\"info\",\"message\":\"info\",\"user\":{\"id\":7}},"
            + "{\"level\":\"error\",\"message\":\"other user\",\"user\":{\"id\":8}},"
            + "{\"level\":\"warning\",\"source\":\"auth\",\"message\":\"the one\",\"user\":{\"id\":7}}]").status());
        assertEquals(202, router.post("/log", "{\"level\":\"fatal\",\"message\":\"marker\",\"user\":{\"id\":7}}").status());
        SseClient.Event first = stream.next(WAIT);
        assertEquals("log", first.name());
        JsonNode event = json(first);
        assertEquals("the one", event.get("message").asText());
        assertEquals("WARN", event.get("level").asText());
        assertEquals("auth", event.get("source").asText());
        assertEquals(7, event.get("attributes").get("user").get("id").asInt());
        assertEquals("marker", json(stream.next(WAIT)).get("message").asText(), "nothing else matched in between");
        assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"), "shown before any flush");
      }
    }
  }

  @Test
  void badFiltersAre400BeforeTheStreamOpens() throws Exception {
    try (RouterHarness router = router("bad")) {
      JsonNode error = QueryServer.JSON.readTree(router.get("/logs/tail?q=level%20eq").body());
      assertEquals("q", error.get("parameter").asText());
      assertEquals(8, error.get("position").asInt());
      assertEquals(400, router.get("/logs/tail?q=level%20eq").status());
      assertEquals("from", QueryServer.JSON.readTree(router.get("/logs/tail?from=2024-01-01").body()).get("parameter").asText());
      assertEquals(400, router.get("/logs/tail?q=timestamp%20ct%20x").status());
    }
  }

  @Test
  void streamsBeyondTheCapAre503AndAClosedStreamFreesItsSlot() throws Exception {
    // A client that left is noticed when the next write fails: the heartbeat's, at the latest.
    try (RouterHarness router = router("cap", "tail.max.streams", "2", "tail.heartbeat", "200ms")) {
      SseClient one = tail(router, "");
      try (SseClient two = tail(router, "")) {
        assertEquals(200, one.status());
        assertEquals(200, two.status());
        RouterHarness.Response third = router.get("/logs/tail");
        assertEquals(503, third.status(), third.body());
        assertNotNull(third.retryAfter());
        one.close();
        Await.until("a slot after a client left", WAIT, () -> router.get("/metrics").body()
            .contains("logrouter_tail_streams 1.0"));
        try (SseClient again = tail(router, "")) {
          assertEquals(200, again.status());
        }
      }
    }
  }

  @Test
  void theRateCapDropsAndCountsTheExcess() throws Exception {
    try (RouterHarness router = router("rate", "tail.max.events.per.second", "5");
        SseClient stream = tail(router, "?level=info")) {
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 50; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"message\":\"m").append(i).append("\"}");
      }
      assertEquals(202, router.post("/log", batch.append(']').toString()).status());
      for (int i = 0; i < 5; i++) {
        SseClient.Event e = stream.next(WAIT);
        assertEquals("log", e.name());
        assertEquals("m" + i, json(e).get("message").asText());
      }
      SseClient.Event dropped = stream.next(WAIT);
      assertEquals("dropped", dropped.name());
      assertEquals(45, json(dropped).get("dropped").asInt());
      assertEquals(45, json(dropped).get("total").asInt());
    }
  }

  @Test
  void anIdleStreamCarriesHeartbeats() throws Exception {
    try (RouterHarness router = router("heartbeat", "tail.heartbeat", "200ms");
        SseClient stream = tail(router, "")) {
      SseClient.Event beat = stream.next(WAIT, true);
      assertNotNull(beat);
      assertEquals(":", beat.name());
    }
  }

  @Test
  void shutdownEndsEveryStreamInsteadOfWaitingForIt() throws Exception {
    RouterHarness router = router("shutdown", "http.drain.timeout", "60s");
    SseClient stream = tail(router, "");
    assertEquals(200, stream.status());
    long start = System.nanoTime();
    router.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.toSeconds() < 30, "close waited " + took + " (the 60 s drain would mean the stream held it)");
    SseClient.Event end = stream.next(WAIT);
    assertEquals("end", end.name());
    assertTrue(json(end).get("reason").asText().contains("stopping"), end.data());
    assertEquals(SseClient.EOF, stream.next(WAIT), "the stream is closed");
    assertNull(stream.next(Duration.ofMillis(100)));
    stream.close();
  }
}

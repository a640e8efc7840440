package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.ExactlyOnce;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once from the sender: a batch retried with the same Idempotency-Key lands once — from the
 * router's memory, after a restart, after kill -9 before the first copy was flushed, on another router
 * sharing the database, and after the first answer was lost on the wire.
 */
class IdempotencyTest {
  private static TestDatabase db;
  @TempDir
  Path dir;

  @BeforeAll
  static void database() {
    db = TestDatabase.create("idempotency");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void empty() {
    db.execute("DELETE FROM logs");
    db.execute("DELETE FROM ingest_keys");
    db.execute("DELETE FROM router_offsets");
  }

  /** Ten numbered events, the last one ending the body with a marker the proxy can match. */
  private static String batch(int firstSeq) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 10; i++) {
      b.append(i == 0 ? "" : ",").append("{\"message\":\"seq event\",\"seq\":").append(firstSeq + i)
          .append(i == 9 ? ",\"tag\":\"end-of-batch-" + firstSeq + "\"}" : "}");
    }
    return b.append("]").toString();
  }

  private static BitSet seqs(int from, int to) {
    BitSet b = new BitSet();
    b.set(from, to);
    return b;
  }

  private static void assertOnce(BitSet expected) {
    ExactlyOnce.Result r = ExactlyOnce.awaitAndCheck(db, expected, Duration.ofSeconds(30));
    assertEquals(0, r.missing(), r.toString());
    assertEquals(0, r.duplicated(), r.toString());
    assertEquals(expected.cardinality(), db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'seq event'"));
  }

  private static TestHttp.Response post(String url, String body, String key) {
    return TestHttp.postJson(url, body, "Idempotency-Key", key);
  }

  @Test
  void aRetryToTheSameRouterGetsTheSameAnswerAndStoresNothingNew() {
    try (RouterHarness router = RouterHarness.start(db, dir, Map.of())) {
      TestHttp.Response first = post(router.url("/log"), batch(0), "k-same-router");
      TestHttp.Response retry = post(router.url("/log"), batch(0), "k-same-router");
      assertEquals(202, first.statusCode());
      assertEquals(202, retry.statusCode());
      assertEquals(first.body(), retry.body());
      router.flush();
      assertOnce(seqs(0, 10));
      assertTrue(router.get("/metrics").body().contains("logrouter_events_deduplicated_total 0.0"),
          "answered from memory: nothing reached the queue twice");
    }
  }

  @Test
  void aRetryAfterARestartIsDroppedByTheDatabase() {
    try (RouterHarness router = RouterHarness.start(db, dir, Map.of())) {
      assertEquals(202, post(router.url("/log"), batch(0), "k-restart").statusCode());
      router.flush();
    }
    try (RouterHarness router = RouterHarness.start(db, dir, Map.of())) {
      assertEquals(202, post(router.url("/log"), batch(0), "k-restart").statusCode());
      assertEquals(202, post(router.url("/log"), batch(10), "k-other").statusCode());
      router.flush();
      assertOnce(seqs(0, 20));
      assertTrue(router.get("/metrics").body().contains("logrouter_events_deduplicated_total 10.0"),
          router.get("/metrics").body().lines().filter(l -> l.contains("dedup")).toList().toString());
    }
  }

  @Test
  void twoRoutersSharingOneDatabaseStoreAKeyOnce() {
    try (RouterHarness a = RouterHarness.start(db, dir.resolve("a"), Map.of("router.id", "router-a"));
        RouterHarness b = RouterHarness.start(db, dir.resolve("b"), Map.of("router.id", "router-b"))) {
      assertEquals(202, post(a.url("/log"), batch(0), "k-two-routers").statusCode());
      assertEquals(202, post(b.url("/log"), batch(0), "k-two-routers").statusCode());
      a.flush();
      b.flush();
      assertOnce(seqs(0, 10));
    }
  }

  @Test
  void aRetryAfterKill9BeforeTheFirstCopyWasFlushedLandsOnce() throws Exception {
    int port = RouterProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("LOGROUTER_HTTP_PORT", Integer.toString(port));
    env.put("LOGROUTER_HTTP_HOST", "127.0.0.1");
    env.put("LOGROUTER_DB_URL", db.jdbcUrl());
    env.put("LOGROUTER_DB_USER", db.user());
    env.put("LOGROUTER_DB_PASSWORD", db.password());
    env.put("LOGROUTER_QUEUE_DIR", dir.resolve("queue").toString());
    env.put("LOGROUTER_ROUTER_ID", "kill9-router");
    env.put("LOGROUTER_FLUSH_INTERVAL", "1h");
    env.put("LOGROUTER_DISK_MIN_FREE_BYTES", "1MB");
    Path log = dir.resolve("router.log");
    String url = "http://127.0.0.1:" + port + "/log";
    RouterProcess router = RouterProcess.start(env, log);
    try {
      router.awaitReady(Duration.ofSeconds(60));
      assertEquals(202, post(url, batch(0), "k-kill9").statusCode());
      assertEquals(RouterProcess.SIGKILL_EXIT, router.kill9());
      router = RouterProcess.start(env, log);
      router.awaitReady(Duration.ofSeconds(60));
      assertEquals(202, post(url, batch(0), "k-kill9").statusCode(), "the client's retry after the crash");
      TestHttp.Response flushed = TestHttp.post("http://127.0.0.1:" + port + "/admin/flush", new byte[0], null, null);
      assertEquals(200, flushed.statusCode(), flushed.body());
      assertOnce(seqs(0, 10));
    } finally {
      router.close();
    }
  }

  @Test
  void aRetryAfterTheAnswerWasLostOnTheWireLandsOnce() throws Exception {
    try (RouterHarness router = RouterHarness.start(db, dir, Map.of());
        TcpProxy proxy = TcpProxy.start("127.0.0.1", router.router().port())) {
      String url = "http://127.0.0.1:" + proxy.port() + "/log";
      // The request reaches the router whole, then the connection dies: the 202 never arrives.
      proxy.dropOnClientBytes("end-of-batch-0\"}]".getBytes(StandardCharsets.US_ASCII), TcpProxy.KillPoint.AFTER_FORWARD);
      assertThrows(RuntimeException.class, () -> post(url, batch(0), "k-lost-answer"), "the first answer is lost");
      assertEquals(202, post(url, batch(0), "k-lost-answer").statusCode(), "the client retries");
      router.flush();
      assertOnce(seqs(0, 10));
    }
  }

  @Test
  void dedupFieldMakesAClientEventIdStoreOnce() {
    try (RouterHarness router = RouterHarness.start(db, dir, Map.of("dedup.field", "event_id"))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(202, router.post("/log", "{\"message\":\"seq event\",\"seq\":" + i + ",\"event_id\":\"e-1\"}").status());
      }
      assertEquals(202, router.post("/log", "{\"message\":\"seq event\",\"seq\":7,\"event_id\":\"e-2\"}").status());
      router.flush();
      assertEquals(2, db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'seq event'"));
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE JSON_EXTRACT(attributes, '$.seq') = 0"),
          "the first event with an id is the one kept");
    }
  }

  @Test
  void aKeyLongerThanTheLimitIsRefused() {
    try (RouterHarness router = RouterHarness.start(db, dir, Map.of())) {
      TestHttp.Response r = post(router.url("/log"), batch(0), "k".repeat(256));
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(r.body().contains("Idempotency-Key"), r.body());
    }
  }
}

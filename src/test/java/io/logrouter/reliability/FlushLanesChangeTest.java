package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flush.lanes} changed between starts, on the real database. A lane owns documents by position
 * modulo the lane count, so a new count gives documents new owners: with the queue flushed, the new lanes
 * all start after the last committed document; with documents still waiting, nothing is flushed, /ready
 * and the metric say why, and the old count flushes them later. Every event lands exactly once either way.
 */
class FlushLanesChangeTest {
  private static TestDatabase db;
  @TempDir
  Path dir;
  private int next;

  @BeforeAll
  static void database() {
    db = TestDatabase.create("lanes_change");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void emptyTables() {
    db.execute("DELETE FROM logs");
    db.execute("DELETE FROM router_offsets");
    db.execute("DELETE FROM log_minute_counts");
  }

  @Test
  void aFlushedQueueTakesAnyLaneCountAndNothingIsWrittenTwice() {
    for (int lanes : new int[] {2, 4, 1, 3}) {
      try (RouterHarness router = start(db.jdbcUrl(), lanes)) {
        post(router, 40);
        router.flush();
      }
      assertEquals(lanes, db.queryLong("SELECT COUNT(*) FROM router_offsets WHERE router_id = 'lanes-router'"),
          "one offsets row per lane");
      assertEachSeqOnce();
    }
  }

  @Test
  void aChangeWithDocumentsWaitingIsRefusedUntilTheOldCountHasFlushedThem() throws Exception {
    try (TcpProxy proxy = db.startProxy()) {
      try (RouterHarness router = start(db.jdbcUrlThrough(proxy), 2)) {
        post(router, 10);
        router.flush();
        proxy.cut(); // the database goes away: what follows waits in the queue
        post(router, 30);
      }
      proxy.restore();
    }
    try (RouterHarness router = start(db.jdbcUrl(), 3)) {
      RouterHarness.Response ready = awaitNotReady(router);
      assertTrue(ready.body().contains("restart with flush.lanes=2"), ready.body());
      assertTrue(router.get("/metrics").body().contains("logrouter_flush_stalled 1.0"), "the stall metric shows it");
      post(router, 5); // ingest goes on meanwhile
      assertEquals(503, router.post("/admin/flush", new byte[0], null, null).status(), "a flush cannot be done");
      assertEquals(10, db.queryLong("SELECT COUNT(*) FROM logs"), "nothing was written under the wrong layout");
    }
    try (RouterHarness router = start(db.jdbcUrl(), 2)) {
      router.flush();
      assertEquals(200, router.get("/ready").status());
    }
    assertEachSeqOnce();
    try (RouterHarness router = start(db.jdbcUrl(), 3)) {
      post(router, 9);
      router.flush();
      assertEquals(200, router.get("/ready").status(), "drained now: the change is taken");
    }
    assertEachSeqOnce();
  }

  private RouterHarness start(String url, int lanes) {
    Map<String, String> config = new HashMap<>();
    config.put("db.url", url);
    config.put("router.id", "lanes-router");
    config.put("flush.lanes", Integer.toString(lanes));
    config.put("flush.shutdown.timeout", "1s");
    config.put("flush.retry.max", "1s");
    return RouterHarness.start(db, dir, config);
  }

  /** One request per event, so consecutive events go to different lanes. */
  private void post(RouterHarness router, int events) {
    for (int i = 0; i < events; i++) {
      assertEquals(202, router.post("/log", "{\"message\":\"lane event\",\"seq\":" + next++ + "}").status());
    }
  }

  private void assertEachSeqOnce() {
    assertEquals(next, db.queryLong("SELECT COUNT(*) FROM logs"), "every event stored");
    assertEquals(next, db.queryLong("SELECT COUNT(DISTINCT JSON_VALUE(attributes, '$.seq')) FROM logs"), "none twice");
    assertEquals(next, db.queryLong("SELECT COALESCE(SUM(events), 0) FROM log_minute_counts"),
        "each lane counted its own rows for the histogram, in its own flush transactions");
  }

  private static RouterHarness.Response awaitNotReady(RouterHarness router) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    RouterHarness.Response ready = router.get("/ready");
    while (ready.status() == 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      ready = router.get("/ready");
    }
    assertEquals(503, ready.status(), ready.body());
    return ready;
  }
}

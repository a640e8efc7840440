package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.ExactlyOnce;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer-made ids ({@code db.ids}, issue 17): each flush lane makes {@code logs.id} from a slot of its own
 * ({@code logs_id_writers}) and a counter committed with its offset, so a flush retried after a rollback
 * writes the same ids (no gap, where AUTO_INCREMENT leaves one), a restart goes on counting, a full slot
 * is left for a new one, the scattered layout spreads rows over 32 key ranges, and a router on server
 * ids refuses to write among writer-made ids.
 */
class WriterIdsTest {
  private static final long SLOT_SHIFT = RowIds.COUNTER_BITS;
  private static final long COUNTER = RowIds.COUNTER_MASK;

  @TempDir
  Path dir;

  @Test
  void eachLaneCountsInItsOwnSlotAndARolledBackFlushWritesTheSameIdsAgain() throws Exception {
    try (TestDatabase db = TestDatabase.create("writer_ids");
        TcpProxy proxy = db.startProxy()) {
      Map<String, String> config = Map.of("db.url", db.jdbcUrlThrough(proxy), "db.ids", "writer",
          "flush.lanes", "2", "flush.retry.initial", "50ms", "flush.retry.max", "500ms");
      try (RouterHarness router = RouterHarness.start(db, dir, config)) {
        postSeqs(router, 0, 40);
        assertEquals(40, router.flush());
        proxy.dropOnMysqlCommit(TcpProxy.KillPoint.BEFORE_FORWARD); // a lane's commit never reaches MySQL
        postSeqs(router, 40, 60);
        router.flush();
        assertEquals(1, proxy.killsFired(), "a flush was rolled back and retried");
      }
      assertIdsCountUpInTwoSlots(db, 60);
      try (RouterHarness router = RouterHarness.start(db, dir, config)) {
        postSeqs(router, 60, 70);
        router.flush();
      }
      assertIdsCountUpInTwoSlots(db, 70);
      BitSet all = new BitSet();
      all.set(0, 70);
      assertEquals(new ExactlyOnce.Result(70, 70, 0, 0), ExactlyOnce.check(db, all));
    }
  }

  /** Two slots, one per lane, never a new one; in each the counters are 0..n-1 with no gap. */
  private static void assertIdsCountUpInTwoSlots(TestDatabase db, int rows) {
    List<String> slots = db.queryRows("SELECT slot, lane FROM logs_id_writers WHERE router_id = 'test-router' ORDER BY lane");
    assertEquals(2, slots.size(), "one slot per lane: " + slots);
    assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs WHERE id < " + (1L << SLOT_SHIFT)), "no server-made id");
    long total = 0;
    for (String row : slots) {
      long slot = Long.parseLong(row.split("\\|")[0]);
      int lane = Integer.parseInt(row.split("\\|")[1]);
      long n = countsUpFromZero(db, "id >> " + SLOT_SHIFT + " = " + slot, "id & " + COUNTER);
      assertEquals((slot << SLOT_SHIFT) + n, db.queryLong("SELECT next_id FROM router_offsets WHERE router_id ="
          + " 'test-router' AND lane = " + lane), "lane " + lane + "'s counter is committed with its rows");
      total += n;
    }
    assertEquals(rows, total);
  }

  /** Asserts that {@code counter} over the rows matching {@code where} is exactly 0..n-1. @return n */
  private static long countsUpFromZero(TestDatabase db, String where, String counter) {
    String stats = db.queryRows("SELECT COUNT(*), COUNT(DISTINCT " + counter + "), MIN(" + counter + "), MAX(" + counter
        + ") FROM logs WHERE " + where).get(0);
    String[] s = stats.split("\\|");
    long n = Long.parseLong(s[0]);
    assertTrue(n > 0, "rows in " + where);
    assertEquals(n, Long.parseLong(s[1]), "distinct: " + stats);
    assertEquals("0", s[2], "from 0: " + stats);
    assertEquals(n - 1, Long.parseLong(s[3]), "no gap: " + stats);
    return n;
  }

  /**
   * A slot is taken before the first flush that fills it commits. When that flush rolls back, its retry and
   * a restarted router fill the same slot; a slot that holds rows is never filled again.
   */
  @Test
  void aFirstFlushThatRolledBackKeepsItsSlotButASlotWithRowsIsNeverReused() throws Exception {
    try (TestDatabase db = TestDatabase.create("writer_ids_first");
        TcpProxy proxy = db.startProxy()) {
      Map<String, String> config = Map.of("db.url", db.jdbcUrlThrough(proxy), "db.ids", "writer",
          "flush.retry.initial", "50ms", "flush.retry.max", "500ms");
      try (RouterHarness router = RouterHarness.start(db, dir, config)) {
        proxy.dropOnMysqlCommit(TcpProxy.KillPoint.BEFORE_FORWARD); // the first flush never commits
        postSeqs(router, 0, 5);
        router.post("/admin/flush", new byte[0], null, null); // cut: answers 503, or 200 once a retry committed
        router.flush();
        assertEquals(1, proxy.killsFired(), "the first flush was rolled back and retried");
        assertEquals(5, db.queryLong("SELECT COUNT(*) FROM logs"));
      }
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs_id_writers"), "the retry filled the slot it took");
      long slot = db.queryLong("SELECT slot FROM logs_id_writers");
      assertEquals(5, countsUpFromZero(db, "id >> " + SLOT_SHIFT + " = " + slot, "id & " + COUNTER));

      db.execute("UPDATE router_offsets SET next_id = NULL"); // a counter reset by hand: its slot holds rows
      try (RouterHarness router = RouterHarness.start(db, dir, config)) {
        postSeqs(router, 5, 8);
        assertEquals(3, router.flush());
      }
      long second = db.queryLong("SELECT MAX(slot) FROM logs_id_writers");
      assertNotEquals(slot, second, "the slot with rows was not filled again");
      assertEquals(3, countsUpFromZero(db, "id >> " + SLOT_SHIFT + " = " + second, "id & " + COUNTER));

      // A router killed after taking a slot, before its first commit: the next start fills that slot.
      db.execute("INSERT INTO logs_id_writers (router_id, lane, created_at) VALUES ('test-router', 0, NOW())");
      long taken = db.queryLong("SELECT MAX(slot) FROM logs_id_writers");
      db.execute("UPDATE router_offsets SET next_id = NULL");
      try (RouterHarness router = RouterHarness.start(db, dir, config)) {
        postSeqs(router, 8, 10);
        assertEquals(2, router.flush());
      }
      assertEquals(taken, db.queryLong("SELECT MAX(slot) FROM logs_id_writers"), "no slot taken past it");
      assertEquals(2, countsUpFromZero(db, "id >> " + SLOT_SHIFT + " = " + taken, "id & " + COUNTER));
      assertEquals(10, db.queryLong("SELECT COUNT(DISTINCT id) FROM logs"));
    }
  }

  @Test
  void aLaneWhoseSlotIsFullTakesANewOne() {
    try (TestDatabase db = TestDatabase.create("writer_ids_full");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("db.ids", "writer"))) {
      postSeqs(router, 0, 5);
      assertEquals(5, router.flush());
      long first = db.queryLong("SELECT slot FROM logs_id_writers");
      db.execute("UPDATE router_offsets SET next_id = " + ((first << SLOT_SHIFT) + COUNTER - 2)); // room for 3
      postSeqs(router, 5, 15);
      assertEquals(10, router.flush());
      long second = db.queryLong("SELECT MAX(slot) FROM logs_id_writers");
      assertNotEquals(first, second);
      assertEquals(5, countsUpFromZero(db, "id >> " + SLOT_SHIFT + " = " + first, "id & " + COUNTER));
      assertEquals(10, countsUpFromZero(db, "id >> " + SLOT_SHIFT + " = " + second, "id & " + COUNTER));
      assertEquals((second << SLOT_SHIFT) + 10, db.queryLong("SELECT next_id FROM router_offsets"));
    }
  }

  /** db.profile=tidb chooses the scattered layout and flushes with INSERTs (no LOAD DATA on TiDB). */
  @Test
  void scatteredIdsSpreadOverThirtyTwoKeyRangesAndStillCountUp() {
    try (TestDatabase db = TestDatabase.create("writer_ids_scattered");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("db.profile", "tidb"))) {
      StringBuilder ndjson = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        ndjson.append("{\"message\":\"seq event\",\"seq\":").append(i).append("}\n");
      }
      assertEquals(202, router.post("/log", ndjson.toString().getBytes(), "application/x-ndjson", null).status());
      assertEquals(100, router.flush());
      long slot = db.queryLong("SELECT slot FROM logs_id_writers");
      long sequence = (1L << 58) - 1;
      assertEquals(100, countsUpFromZero(db, "(id & " + sequence + ") >> " + SLOT_SHIFT + " = " + slot, "id & " + COUNTER));
      assertEquals(32, db.queryLong("SELECT COUNT(DISTINCT id >> 58) FROM logs"), "32 key ranges");
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs WHERE id >> 58 <> (id & 31)"),
          "each id's range is its counter's low bits");
      assertEquals(100, db.queryLong("SELECT COUNT(DISTINCT id) FROM logs"));
    }
  }

  @Test
  void aRouterOnServerIdsDoesNotWriteWhereWriterIdsAreInUse() {
    try (TestDatabase db = TestDatabase.create("writer_ids_mixed")) {
      try (RouterHarness writer = RouterHarness.start(db, dir.resolve("w"), Map.of("db.ids", "writer"))) {
        postSeqs(writer, 0, 3);
        assertEquals(3, writer.flush());
      }
      Map<String, String> server = new HashMap<>(Map.of("router.id", "server-ids", "flush.retry.initial", "50ms"));
      try (RouterHarness router = RouterHarness.start(db, dir.resolve("s"), server)) {
        postSeqs(router, 3, 6);
        RouterHarness.Response flush = router.post("/admin/flush", new byte[0], null, null);
        assertNotEquals(200, flush.status(), flush.body());
        assertTrue(flush.body().contains("db.ids"), flush.body());
        RouterHarness.Response ready = router.get("/ready");
        assertEquals(503, ready.status());
        assertTrue(ready.body().contains("db.ids"), ready.body());
        assertTrue(router.get("/metrics").body().contains("logrouter_flush_stalled 1.0"), "the stall gauge shows it");
      }
      assertEquals(3, db.queryLong("SELECT COUNT(*) FROM logs"), "nothing written with server ids");
    }
  }

  private static void postSeqs(RouterHarness router, int from, int to) {
    for (int i = from; i < to; i++) {
      assertEquals(202, router.post("/log", "{\"message\":\"seq event\",\"seq\":" + i + "}").status());
    }
  }
}

package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An event MySQL refuses for good goes to logs_rejected; its neighbours and later events flow on. */
class PoisonRowTest {
  @TempDir
  Path queueDir;

  @Test
  void rowMysqlRefusesIsDeadLetteredAndTheRestOfTheBatchCommits() {
    try (TestDatabase db = TestDatabase.create("poison");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      // A CHECK constraint stands in for any value MySQL refuses (errors 4025 / 3819 — permanent).
      db.execute("ALTER TABLE logs ADD CONSTRAINT no_poison CHECK (message IS NULL OR message <> 'poison')");
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 100; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"message\":\"").append(i == 37 || i == 80 ? "poison" : "ok")
            .append("\",\"i\":").append(i).append('}');
      }
      assertEquals(202, router.post("/log", batch.append(']').toString()).status());
      assertEquals(100, router.flush());
      assertEquals(98, db.queryLong("SELECT COUNT(*) FROM logs"));
      assertEquals(2, db.queryLong("SELECT COUNT(*) FROM logs_rejected WHERE router_id='test-router'"
          + " AND event LIKE '%\"message\":\"poison\"%' AND error LIKE '%no_poison%'"));
      assertTrue(db.queryLong("SELECT COUNT(DISTINCT queue_index) FROM logs_rejected") == 1);
      assertEquals(202, router.post("/log", "{\"message\":\"later\"}").status());
      assertEquals(1, router.flush(), "the pipeline is not blocked");
    }
  }

  @Test
  void schemaErrorsAreRetriedNotDeadLettered() {
    try (TestDatabase db = TestDatabase.create("poison_schema");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("flush.retry.max", "200ms"))) {
      db.execute("ALTER TABLE logs RENAME COLUMN message TO msg");
      assertEquals(202, router.post("/log", "{\"message\":\"waits\"}").status());
      for (int i = 0; i < 3; i++) {
        assertEquals(503, router.post("/admin/flush", new byte[0], null, null).status(), "flush cannot complete");
      }
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"), "a missing column is no reason to drop data");
      db.execute("ALTER TABLE logs RENAME COLUMN msg TO message");
      router.flush(); // writes the event, unless the flusher's own next retry got there first
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message='waits'"));
    }
  }
}

package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts on the same queue directory and database end with every acked event exactly once. */
class RestartExactlyOnceTest {
  @TempDir
  Path queueDir;

  private static void post(RouterHarness router, String tag, int from, int to) {
    for (int i = from; i < to; i++) {
      assertEquals(202, router.post("/log", "{\"message\":\"" + tag + "\",\"seq\":" + i + "}").status());
    }
  }

  private static void assertEachSeqOnce(TestDatabase db, int expected) {
    assertEquals(expected, db.queryLong("SELECT COUNT(*) FROM logs"));
    assertEquals(expected, db.queryLong("SELECT COUNT(DISTINCT JSON_EXTRACT(attributes,'$.seq')) FROM logs"));
  }

  @Test
  void restartAfterCommitWritesNothingTwice() {
    try (TestDatabase db = TestDatabase.create("restart_commit")) {
      try (RouterHarness first = RouterHarness.start(db, queueDir, Map.of())) {
        post(first, "a", 0, 50);
        assertEquals(50, first.flush());
      }
      try (RouterHarness second = RouterHarness.start(db, queueDir, Map.of())) {
        assertEquals(0, second.flush(), "nothing committed is read again");
        post(second, "b", 50, 80);
        assertEquals(30, second.flush());
      }
      assertEachSeqOnce(db, 80);
    }
  }

  @Test
  void uncommittedTailIsFlushedAfterRestartWhenMysqlWasDownAtShutdown() {
    try (TestDatabase db = TestDatabase.create("restart_tail")) {
      try (RouterHarness first = RouterHarness.start(db, queueDir, Map.of("flush.shutdown.timeout", "2s"))) {
        post(first, "a", 0, 20);
        assertEquals(20, first.flush());
        post(first, "b", 20, 45);
        // The final flush at shutdown is made to fail: the tail stays uncommitted in the queue.
        db.execute("RENAME TABLE logs TO logs_away");
        first.router().close();
        db.execute("RENAME TABLE logs_away TO logs");
      }
      assertEquals(20, db.queryLong("SELECT COUNT(*) FROM logs"));
      try (RouterHarness second = RouterHarness.start(db, queueDir, Map.of())) {
        assertEquals(25, second.flush(), "the uncommitted tail, and only it");
      }
      assertEachSeqOnce(db, 45);
    }
  }
}

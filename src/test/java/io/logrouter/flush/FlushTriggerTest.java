package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each trigger fires on its own, with the other one set out of reach. */
class FlushTriggerTest {
  @TempDir
  Path queueDir;

  @Test
  void sizeTriggerFlushesWithoutTimerOrAdminCall() {
    try (TestDatabase db = TestDatabase.create("flush_size");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("flush.max.bytes", "2KB", "flush.interval", "1h"))) {
      String event = "{\"message\":\"" + "x".repeat(100) + "\"}";
      for (int i = 0; i < 10; i++) {
        router.post("/log", event);
      }
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"), "below 2KB: nothing flushed yet");
      for (int i = 0; i < 30; i++) {
        router.post("/log", event);
      }
      Await.until("size-triggered flush", Duration.ofSeconds(30), () -> db.queryLong("SELECT COUNT(*) FROM logs") > 0);
    }
  }

  @Test
  void timeTriggerFlushesASingleSmallEvent() {
    try (TestDatabase db = TestDatabase.create("flush_time");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("flush.max.bytes", "10MB", "flush.interval", "1s"))) {
      router.post("/log", "{\"message\":\"lonely\"}");
      Await.until("time-triggered flush", Duration.ofSeconds(30),
          () -> db.queryLong("SELECT COUNT(*) FROM logs WHERE message='lonely'") == 1);
    }
  }

  @Test
  void tailOfABacklogFlushesRightAfterASizeTriggeredFlush() {
    try (TestDatabase db = TestDatabase.create("flush_tail");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("flush.max.bytes", "2KB", "flush.interval", "1h"))) {
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 30; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"message\":\"").append("y".repeat(100)).append("\"}");
      }
      router.post("/log", batch.append(']').toString());
      router.post("/log", "{\"message\":\"tail\"}");
      Await.until("the whole backlog, tail included, without waiting an hour", Duration.ofSeconds(30),
          () -> db.queryLong("SELECT COUNT(*) FROM logs") == 31);
    }
  }
}

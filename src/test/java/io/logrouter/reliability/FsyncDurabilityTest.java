package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsync durability: concurrent requests are acked after a shared fsync, and all reach MySQL. */
class FsyncDurabilityTest {
  @TempDir
  Path queueDir;

  @Test
  void concurrentRequestsInFsyncModeAreAllAckedAndFlushed() {
    try (TestDatabase db = TestDatabase.create("fsync");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("queue.durability", "fsync"))) {
      long acked = IntStream.range(0, 400).parallel()
          .map(i -> router.post("/log", "{\"message\":\"durable\",\"i\":" + i + "}").status())
          .filter(s -> s == 202).count();
      assertEquals(400, acked);
      assertEquals(400, router.flush());
      assertEquals(400, db.queryLong("SELECT COUNT(DISTINCT JSON_EXTRACT(attributes,'$.i')) FROM logs"));
    }
  }
}

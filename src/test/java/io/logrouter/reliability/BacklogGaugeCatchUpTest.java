package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the flusher works through a backlog, flush after flush with no idle moment between them, the
 * logrouter_backlog_documents gauge follows it down: it is what shows a flusher falling behind. Each
 * document here is a flush of its own (flush.max.bytes below one document) and each flush is slow
 * (latency on every packet to the database), so the catch-up lasts seconds.
 */
class BacklogGaugeCatchUpTest {
  private static final int DOCUMENTS = 12;

  @TempDir
  Path queueDir;

  @Test
  void theDocumentsGaugeFollowsACatchUp() throws Exception {
    try (TestDatabase db = TestDatabase.create("backlog_gauge"); TcpProxy proxy = db.startProxy();
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("db.url", db.jdbcUrlThrough(proxy),
            "flush.max.bytes", "1KB"))) {
      Await.until("ready", Duration.ofSeconds(20), () -> router.get("/ready").status() == 200);
      proxy.setLatency(Duration.ofMillis(40));
      String message = "x".repeat(1500);
      for (int i = 0; i < DOCUMENTS; i++) {
        assertEquals(202, router.post("/log", "{\"message\":\"" + message + i + "\"}").status());
      }
      long highest = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (db.queryLong("SELECT COUNT(*) FROM logs") < DOCUMENTS && System.nanoTime() < deadline) {
        highest = Math.max(highest, gauge(router.get("/metrics").body(), "logrouter_backlog_documents"));
        Thread.sleep(100);
      }
      assertEquals(DOCUMENTS, db.queryLong("SELECT COUNT(*) FROM logs"), "every document landed");
      assertTrue(highest >= DOCUMENTS / 2, "the gauge showed the backlog while it was worked off: at most "
          + highest + " of " + DOCUMENTS + " documents");
      proxy.setLatency(Duration.ZERO);
      Await.until("the gauge is back to 0", Duration.ofSeconds(10),
          () -> gauge(router.get("/metrics").body(), "logrouter_backlog_documents") == 0);
    }
  }

  private static long gauge(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim())).orElse(-1L);
  }
}

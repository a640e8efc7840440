package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.ExactlyOnce;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterHarness.Response;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dead MySQL and a tiny backlog limit: 503 + Retry-After, no crash, recovery with nothing lost. */
class BacklogLimitTest {
  @TempDir
  Path queueDir;

  @Test
  void backlogLimitTurnsIngestInto503UntilTheFlusherFreesSpace() throws Exception {
    try (TestDatabase db = TestDatabase.create("backlog");
        TcpProxy proxy = db.startProxy()) {
      proxy.cut();
      try (RouterHarness router = RouterHarness.start(db, queueDir, Map.of(
          "db.url", db.jdbcUrlThrough(proxy),
          "queue.max.bytes", "20KB", "flush.interval", "200ms", "flush.retry.initial", "50ms", "flush.retry.max", "500ms"))) {
        BitSet acked = new BitSet();
        Response refused = null;
        for (int seq = 0; seq < 5_000 && refused == null; seq++) {
          Response r = router.post("/log", "{\"message\":\"seq event\",\"seq\":" + seq + ",\"pad\":\"" + "p".repeat(200) + "\"}");
          if (r.status() == 202) {
            acked.set(seq);
          } else {
            refused = r;
          }
          Thread.sleep(1); // the gate re-checks every 50 ms; let it see the growing backlog
        }
        assertNotNull(refused, "the limit was never reached");
        assertEquals(503, refused.status());
        assertNotNull(refused.retryAfter(), "503 says when to retry");
        assertTrue(refused.body().contains("backlog limit"), refused.body());
        assertEquals(200, router.get("/health").status(), "alive while refusing");
        assertEquals(503, router.get("/ready").status(), "not ready while refusing");
        proxy.restore();
        Await.until("ingest accepted again", Duration.ofSeconds(60),
            () -> router.post("/log", "{\"message\":\"after\"}").status() == 202);
        ExactlyOnce.Result r = ExactlyOnce.awaitAndCheck(db, acked, Duration.ofSeconds(60));
        assertEquals(0, r.missing(), r.toString());
        assertEquals(0, r.duplicated(), r.toString());
      }
    }
  }
}

package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * A database that accepts the flush and never answers (a partition): no error reaches the breaker,
 * so only the stall watch can tell. /ready must say so, and recover when the database does.
 */
class FlusherStallHttpTest {
  @TempDir
  Path queueDir;

  @Test
  void readyReportsAStalledFlusherAndRecovers() throws Exception {
    try (TestDatabase db = TestDatabase.create("stall"); TcpProxy proxy = db.startProxy()) {
      try (RouterHarness router = RouterHarness.start(db, queueDir, Map.of("db.url", db.jdbcUrlThrough(proxy),
          "flush.interval", "300ms", "flush.stall.timeout", "2s"))) {
        Await.until("ready", Duration.ofSeconds(20), () -> router.get("/ready").status() == 200);
        proxy.blackhole();
        assertEquals(202, router.post("/log", "{\"message\":\"waits\"}").status());
        Await.until("/ready says the flusher is stalled", Duration.ofSeconds(30), () -> {
          RouterHarness.Response r = router.get("/ready");
          return r.status() == 503 && r.body().contains("flusher stalled");
        });
        proxy.restore();
        Await.until("ready again", Duration.ofSeconds(60), () -> router.get("/ready").status() == 200);
        Await.until("the event landed", Duration.ofSeconds(30),
            () -> db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'waits'") == 1);
      }
    }
  }
}

package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.CapturedLogs;
import io.logrouter.testsupport.ExactlyOnce;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LOAD DATA the database stops reading in the middle (the proxy freezes: no byte lost, none moved, as a
 * server waiting on a full disk or a partition TCP keeps retrying). Connector/J's socketTimeout bounds only
 * reads, so the flusher's socket write would block forever; {@code flush.write.timeout} aborts that
 * connection, the flush fails (a counted database error) and is retried, and once the database reads again
 * every event lands exactly once.
 */
class StuckLoadDataTest {
  private static final int EVENTS = 24_000;
  private static final String PADDING = "x".repeat(1_000);

  @TempDir
  Path queueDir;

  @Test
  void aLoadDataTheDatabaseStopsReadingIsAbortedAndRetriedAndLandsOnce() throws Exception {
    try (CapturedLogs logged = new CapturedLogs();
        TestDatabase db = TestDatabase.create("stuck_load");
        TcpProxy proxy = db.startProxy();
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("db.url", db.jdbcUrlThrough(proxy),
            "flush.interval", "1h", "flush.max.bytes", "64MB", "flush.write.timeout", "3s",
            "flush.retry.initial", "200ms", "flush.retry.max", "1s"))) {
      // ~25 MB of rows in one batch: more than the socket buffers between the router and the proxy hold.
      for (int from = 0; from < EVENTS; from += 2_000) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = from; i < from + 2_000; i++) {
          ndjson.append("{\"message\":\"seq event\",\"padding\":\"").append(PADDING).append("\",\"seq\":").append(i)
              .append("}\n");
        }
        assertEquals(202, router.post("/log", ndjson.toString().getBytes(StandardCharsets.UTF_8),
            "application/x-ndjson", null).status());
      }
      double errorsBefore = transientDbErrors(router);
      CompletableFuture<RouterHarness.Response> flush = CompletableFuture.supplyAsync(
          () -> router.post("/admin/flush", new byte[0], null, null));
      Await.until("the router's LOAD DATA streams", Duration.ofSeconds(30), () -> !db.queryRows(
          "SELECT id FROM information_schema.processlist WHERE db = '" + db.schema()
              + "' AND info LIKE 'LOAD DATA%'").isEmpty());
      proxy.freeze();

      Await.until("an ERROR line says the stuck LOAD DATA was aborted", Duration.ofSeconds(30),
          () -> logged.has(Level.ERROR, "flush.write.timeout"));
      Await.until("the aborted flush failed and counts as a database error", Duration.ofSeconds(30),
          () -> transientDbErrors(router) > errorsBefore);
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"), "nothing committed while frozen");

      proxy.restore();
      Await.until("every event landed", Duration.ofSeconds(120), () -> {
        router.post("/admin/flush", new byte[0], null, null);
        return db.queryLong("SELECT COUNT(*) FROM logs") >= EVENTS;
      });
      flush.join();
      BitSet all = new BitSet();
      all.set(0, EVENTS);
      assertEquals(new ExactlyOnce.Result(EVENTS, EVENTS, 0, 0), ExactlyOnce.check(db, all));
    }
  }

  private static double transientDbErrors(RouterHarness router) {
    for (String line : router.get("/metrics").body().split("\n")) {
      if (line.startsWith("logrouter_db_errors_total{") && line.contains("kind=\"transient\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no logrouter_db_errors_total{kind=\"transient\"} in /metrics");
  }
}

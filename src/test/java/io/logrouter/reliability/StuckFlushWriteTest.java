package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A flush statement the database stops reading in the middle: the proxy freezes (no byte lost, none moved,
 * as a server waiting on a full disk, or a partition TCP keeps retrying) when the rows of one marked event go
 * through, with small socket buffers on both sides as on a real network. Connector/J's socketTimeout bounds
 * only reads, so the flusher's socket write would block forever; {@code flush.write.timeout} aborts that
 * connection (an ERROR line, {@code logrouter_flush_writes_aborted_total}), the flush fails and is retried,
 * and once the database reads again every event lands exactly once. Both flush methods: LOAD DATA, whose
 * progress is the bytes the driver takes, and multi-row INSERT (TiDB, Vitess, flush.method=insert).
 */
class StuckFlushWriteTest {
  private static final int EVENTS = 3_000;
  private static final String PADDING = "x".repeat(1_000);
  private static final String MARK = "FREEZE-HERE-7f3a";
  private static final int SOCKET_BUFFER = 64 * 1024;

  @TempDir
  Path queueDir;

  @ParameterizedTest
  @ValueSource(strings = {"load_data", "insert"})
  void aStatementTheDatabaseStopsReadingIsAbortedAndRetriedAndLandsOnce(String method) throws Exception {
    try (CapturedLogs logged = new CapturedLogs();
        TestDatabase db = TestDatabase.create("stuck_" + method);
        TcpProxy proxy = db.startProxy()) {
      proxy.receiveBuffer(SOCKET_BUFFER);
      try (RouterHarness router = RouterHarness.start(db, queueDir, Map.of(
          "db.url", db.jdbcUrlThrough(proxy) + "&tcpSndBuf=" + SOCKET_BUFFER, "flush.method", method,
          "flush.interval", "1h", "flush.write.timeout", "3s", "flush.retry.initial", "200ms", "flush.retry.max", "1s"))) {
        postEvents(router);
        proxy.freezeOnClientBytes(MARK.getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<RouterHarness.Response> flush = CompletableFuture.supplyAsync(
            () -> router.post("/admin/flush", new byte[0], null, null));

        Await.until("an ERROR line says the stuck statement was aborted", Duration.ofSeconds(30),
            () -> logged.has(Level.ERROR, "flush.write.timeout"));
        Await.until("the abort is counted", Duration.ofSeconds(10),
            () -> metric(router, "logrouter_flush_writes_aborted_total") >= 1);
        assertEquals(1, proxy.killsFired(), "the proxy froze on the marked event");
        assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"), "nothing committed while frozen");

        proxy.restore();
        Await.until("every event landed", Duration.ofSeconds(120), () -> {
          router.post("/admin/flush", new byte[0], null, null);
          return db.queryLong("SELECT COUNT(*) FROM logs") >= EVENTS;
        });
        flush.join();
      }
      BitSet all = new BitSet();
      all.set(0, EVENTS);
      assertEquals(new ExactlyOnce.Result(EVENTS, EVENTS, 0, 0), ExactlyOnce.check(db, all));
    }
  }

  /** ~3 MB of rows in one batch; the tenth event carries the mark the proxy freezes on. */
  private static void postEvents(RouterHarness router) {
    for (int from = 0; from < EVENTS; from += 500) {
      StringBuilder ndjson = new StringBuilder();
      for (int i = from; i < from + 500; i++) {
        ndjson.append("{\"message\":\"seq event\",\"padding\":\"").append(i == 10 ? MARK : PADDING)
            .append("\",\"seq\":").append(i).append("}\n");
      }
      assertEquals(202, router.post("/log", ndjson.toString().getBytes(StandardCharsets.UTF_8),
          "application/x-ndjson", null).status());
    }
  }

  private static double metric(RouterHarness router, String name) {
    for (String line : router.get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }
}

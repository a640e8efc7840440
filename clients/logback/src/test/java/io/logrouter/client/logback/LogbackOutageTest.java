package io.logrouter.client.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import io.logrouter.client.testkit.CutProxy;
import io.logrouter.client.testkit.IdempotencyProbe;
import io.logrouter.client.testkit.TestRouter;
import io.logrouter.client.testkit.TestSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Router killed (-9) and restarted, then MySQL cut, while the application logs: every event lands
 * exactly once. The client retries unanswered batches under their Idempotency-Key and the router
 * lands each key once, even when MySQL committed a batch whose answer the cut lost.
 */
class LogbackOutageTest {
  private static final Path DIR = Path.of(System.getProperty("logrouter.test.dir", "target/it"), "logback-outage");
  private static final int THREADS = 4;
  private static final int PER_THREAD = 10_000;

  record Result(long events, long rows, long distinct, long retries) {
    long lost() {
      return events - distinct;
    }

    long duplicated() {
      return rows - distinct;
    }
  }

  @Test
  void routerKilledAndRestartedThenMySqlCutMidRunLandsEveryEventOnce() throws Exception {
    TestSchema db = TestSchema.create("logback_outage");
    try (CutProxy mysql = CutProxy.start(db.serverHost(), db.serverPort());
        TestRouter router = TestRouter.start(db, db.jdbcUrlVia(mysql.port()), DIR, "lb-outage")) {
      assertTrue(IdempotencyProbe.routerHonoursKey(router, db), "the router lands a key once");
      db.execute("DELETE FROM logs WHERE source = 'probe'");
      LoggerContext ctx = LogbackSetup.configure("OUTAGE", router.url(), Map.of("bufferBytes", "67108864",
          "retryMaxMs", "500", "connectTimeoutMs", "500", "requestTimeoutMs", "3000", "shutdownTimeoutMs", "120000",
          "batchMaxEvents", "1000"));
      LogRouterAppender appender = LogbackSetup.appender(ctx, "OUTAGE");
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int worker = t;
        producers.add(new Thread(() -> produce(worker), "producer-" + t));
      }
      producers.forEach(Thread::start);
      Thread.sleep(1000);
      router.kill9(); // requests in flight: some acked-but-unanswered batches will be sent again
      router.restart();
      Thread.sleep(1000);
      mysql.cut(); // the router's flusher loses MySQL mid-transaction; ingest goes on into its queue
      Thread.sleep(3000);
      mysql.restore();
      for (Thread p : producers) {
        p.join();
      }
      ctx.stop();
      long events = (long) THREADS * PER_THREAD;
      assertEquals(0, appender.client().counters().droppedTotal(), "the client dropped nothing");
      db.awaitRows(events, 180_000);
      long rows = db.rows();
      long distinct = db.queryLong("SELECT COUNT(DISTINCT JSON_VALUE(attributes, '$.seq')) FROM logs");
      Result result = new Result(events, rows, distinct, appender.client().counters().retries());
      System.out.println("outage run: " + result + " lost=" + result.lost() + " duplicated=" + result.duplicated());
      assertEquals(0, result.lost(), "lost events\n" + router.logTail());
      assertEquals(0, result.duplicated(), "duplicates\n" + router.logTail());
    } finally {
      db.drop();
    }
  }

  private static void produce(int worker) {
    Logger log = LoggerFactory.getLogger("app.Outage");
    for (int i = 0; i < PER_THREAD; i++) {
      long seq = (long) worker * PER_THREAD + i;
      log.atInfo().addKeyValue("seq", seq).log("outage event {}", seq);
      if (i % 25 == 24) {
        try {
          Thread.sleep(5); // ~5k events/s in all: the run spans the kill, the restart and the cut
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}

package io.logrouter.client.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.logrouter.client.metrics.ClientCounters.DropReason;
import io.logrouter.client.testkit.TestRouter;
import io.logrouter.client.testkit.TestSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;

/** The Logback appender into the real router and MariaDB: every event lands, fields intact. */
class LogbackToRouterTest {
  private static final Path DIR = Path.of(System.getProperty("logrouter.test.dir", "target/it"), "logback");
  private static final int THREADS = 8;
  private static final int PER_THREAD = 12_500;

  /** Remembers the exact instant of every 1000th event, to compare with the row's microseconds. */
  static final class InstantRecorder extends AppenderBase<ILoggingEvent> {
    final Map<Long, Instant> instants = new ConcurrentHashMap<>();

    @Override
    protected void append(ILoggingEvent e) {
      List<KeyValuePair> kvs = e.getKeyValuePairs();
      if (kvs != null && !kvs.isEmpty() && kvs.get(0).key.equals("seq") && ((Long) kvs.get(0).value) % 1000 == 0) {
        instants.put((Long) kvs.get(0).value, e.getInstant());
      }
    }
  }

  @Test
  void hundredThousandEventsFromEightThreadsLandExactlyOnceWithTheirFields() throws Exception {
    TestSchema db = TestSchema.create("logback_100k");
    try (TestRouter router = TestRouter.start(db, DIR, "lb-100k")) {
      // Long linger: the last partial batch (100,000 % 3,000 = 1,000 events) only leaves on stop().
      LoggerContext ctx = LogbackSetup.configure("ROUTER100K", router.url(), Map.of("source", "checkout", "bufferBytes", "67108864", "shutdownTimeoutMs", "120000",
          "batchMaxEvents", "3000", "lingerMs", "600000"));
      InstantRecorder recorder = new InstantRecorder();
      recorder.setContext(ctx);
      recorder.start();
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(recorder);
      LogRouterAppender appender = LogbackSetup.appender(ctx, "ROUTER100K");
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int worker = t;
        threads.add(new Thread(() -> logMany(worker), "worker-" + t));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      long t0 = System.nanoTime();
      ctx.stop(); // flushes
      System.out.printf("100k: stop took %d ms; sent %d, retries %d, dropped %d%n", (System.nanoTime() - t0) / 1_000_000,
          appender.client().counters().sentEvents(), appender.client().counters().retries(), appender.client().counters().droppedTotal());
      assertEquals(List.of(), LogbackSetup.senderThreads(), "no sender thread after stop");
      long n = (long) THREADS * PER_THREAD;
      assertEquals(n, appender.client().counters().sentEvents());
      assertEquals(0, appender.client().counters().droppedTotal());
      assertEquals(n, db.awaitRows(n, 120_000), "rows in MySQL\n" + router.logTail());
      assertEquals(n, db.queryLong("SELECT COUNT(DISTINCT JSON_VALUE(attributes, '$.seq')) FROM logs"));
      assertEquals(n / 1000, db.queryLong("SELECT COUNT(*) FROM logs WHERE level = 'ERROR'"));
      assertEquals(n - n / 1000, db.queryLong("SELECT COUNT(*) FROM logs WHERE level = 'INFO'"));
      checkFields(db, recorder.instants);
    } finally {
      db.drop();
    }
  }

  private static void logMany(int worker) {
    Logger log = LoggerFactory.getLogger("app.Worker");
    MDC.put("worker", Integer.toString(worker));
    MDC.put("level", "shadow"); // an MDC key named like a canonical field must not change the level
    for (int i = 0; i < PER_THREAD; i++) {
      long seq = (long) worker * PER_THREAD + i;
      if (seq % 1000 == 0) {
        log.atError().addKeyValue("seq", seq).setCause(new IllegalStateException("boom " + seq)).log("failed {}", seq);
      } else {
        log.atInfo().addKeyValue("seq", seq).addKeyValue("odd", seq % 2 == 1).log("event {} from {}", seq, worker);
      }
    }
    MDC.clear();
  }

  private static void checkFields(TestSchema db, Map<Long, Instant> instants) throws Exception {
    assertEquals(100, instants.size());
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT ts, level, source, message, "
            + "JSON_VALUE(attributes, '$.worker'), JSON_VALUE(attributes, '$.logger'), JSON_VALUE(attributes, '$.thread'), "
            + "JSON_VALUE(attributes, '$.stack_trace'), JSON_VALUE(attributes, '$._level') "
            + "FROM logs WHERE JSON_VALUE(attributes, '$.seq') = ?")) {
      for (Map.Entry<Long, Instant> e : instants.entrySet()) {
        long seq = e.getKey();
        ps.setLong(1, seq);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next(), "row for seq " + seq);
          LocalDateTime ts = rs.getObject(1, LocalDateTime.class);
          Instant expected = e.getValue();
          assertEquals(LocalDateTime.ofEpochSecond(expected.getEpochSecond(), expected.getNano() / 1000 * 1000, ZoneOffset.UTC), ts,
              "timestamp to the microsecond, seq " + seq);
          assertEquals("ERROR", rs.getString(2));
          assertEquals("checkout", rs.getString(3));
          assertEquals("failed " + seq, rs.getString(4));
          assertEquals(Long.toString(seq / PER_THREAD), rs.getString(5), "MDC");
          assertEquals("app.Worker", rs.getString(6));
          assertEquals("worker-" + seq / PER_THREAD, rs.getString(7));
          assertTrue(rs.getString(8).contains("java.lang.IllegalStateException: boom " + seq), rs.getString(8));
          assertTrue(rs.getString(8).contains("at io.logrouter.client.logback.LogbackToRouterTest"), "frames");
          assertEquals("shadow", rs.getString(9), "the MDC 'level' kept as _level");
        }
      }
    }
    assertEquals(50_000, db.queryLong("SELECT COUNT(*) FROM logs WHERE JSON_EXTRACT(attributes, '$.odd') = true"), "key-value pairs");
    long subMilli = db.queryLong("SELECT COUNT(*) FROM logs WHERE MICROSECOND(ts) % 1000 <> 0");
    assertTrue(subMilli > 0, "microseconds survive (not rounded to milliseconds)");
  }

  /**
   * The appender keeps Logback's re-entry guard (in its own doAppend): an event logged by a
   * toString that runs while the appender captures one is dropped, as Logback drops it, instead of
   * recursing until the stack overflows; the outer event and those after it land.
   */
  @Test
  void anArgumentWhoseToStringLogsItselfNeitherRecursesNorLosesTheOuterEvent() throws Exception {
    TestSchema db = TestSchema.create("logback_reentry");
    try (TestRouter router = TestRouter.start(db, DIR, "lb-reentry")) {
      LoggerContext ctx = LogbackSetup.configure("REENTRY", router.url(), Map.of());
      Logger log = LoggerFactory.getLogger("app.Reentry");
      Object selfLogging = new Object() {
        @Override
        public String toString() {
          log.info("inner {}", this);
          return "argument";
        }
      };
      log.info("outer {}", selfLogging);
      log.info("after");
      ctx.stop();
      assertEquals(2, db.awaitRows(2, 30_000), router.logTail());
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'outer argument'"));
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'after'"));
    } finally {
      db.drop();
    }
  }

  @Test
  void routerDownLongerThanTheBufferHoldsDropsAreCountedExactlyAndTheAppNeverWaits() throws Exception {
    TestSchema db = TestSchema.create("logback_down");
    try (TestRouter router = TestRouter.start(db, DIR, "lb-down")) {
      LoggerContext ctx = LogbackSetup.configure("ROUTERDOWN", router.url(), Map.of("bufferBytes", "262144",
          "retryMaxMs", "200", "connectTimeoutMs", "500"));
      LogRouterAppender appender = LogbackSetup.appender(ctx, "ROUTERDOWN");
      Logger log = LoggerFactory.getLogger("app.Down");
      router.kill9();
      int n = 20_000;
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        log.atInfo().addKeyValue("seq", i).log("while the router is down {}", i);
        nanos[i] = System.nanoTime() - t0;
      }
      long dropped = appender.client().counters().dropped(DropReason.BUFFER_FULL);
      assertTrue(dropped > 0, "256 KB cannot hold 20,000 events");
      java.util.Arrays.sort(nanos);
      System.out.printf("logback, router down, overflow=drop: median %d ns, p99 %d ns, max %d ns per call; dropped %d of %d%n",
          nanos[n / 2], nanos[n * 99 / 100], nanos[n - 1], dropped, n);
      router.restart();
      ctx.stop();
      assertEquals(0, appender.client().counters().dropped(DropReason.SHUTDOWN));
      assertEquals(n - dropped, db.awaitRows(n - dropped, 60_000), "every event not counted as dropped is a row");
    } finally {
      db.drop();
    }
  }
}

package io.logrouter.client.log4j2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.client.testkit.TestRouter;
import io.logrouter.client.testkit.TestSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The Log4j2 appender (configured by log4j2.xml, used through SLF4J) into the real router and MariaDB. */
class Log4j2ToRouterTest {
  private static final Path DIR = Path.of(System.getProperty("logrouter.test.dir", "target/it"), "log4j2");
  private static final int THREADS = 8;
  private static final int PER_THREAD = 12_500;

  @Test
  void hundredThousandEventsFromEightThreadsLandExactlyOnceWithTheirFieldsAndStopFlushes() throws Exception {
    TestSchema db = TestSchema.create("log4j2_100k");
    try (TestRouter router = TestRouter.start(db, DIR, "l4j-100k")) {
      System.setProperty("logrouter.url", router.url());
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      ctx.setConfigLocation(getClass().getResource("/log4j2-router-test.xml").toURI());
      LogRouterAppender appender = ctx.getConfiguration().getAppender("ROUTER");
      assertNotNull(appender, "<LogRouter> resolved from the plugin index");
      // SLF4J binds its provider on first use; 8 threads racing to be first would log into
      // SLF4J's substitute loggers, which drop events (SLF4J's own rule, not the appender's).
      LoggerFactory.getLogger("app.Worker").info("slf4j bound");
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int worker = t;
        threads.add(new Thread(() -> logMany(worker), "worker-" + t));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      // lingerMs is 10 minutes: the last partial batch (1,000 events) only leaves because stop flushes.
      ctx.stop();
      assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
          .map(Thread::getName).filter(n -> n.startsWith("log-router-")).toList(), "no sender thread after stop");
      long n = (long) THREADS * PER_THREAD + 1;
      assertEquals(n, appender.client().counters().sentEvents());
      assertEquals(0, appender.client().counters().droppedTotal());
      assertEquals(n, db.awaitRows(n, 120_000), "rows in MySQL\n" + router.logTail());
      assertEquals(n - 1, db.queryLong("SELECT COUNT(DISTINCT JSON_VALUE(attributes, '$.seq')) FROM logs"));
      assertEquals(n / 1000, db.queryLong("SELECT COUNT(*) FROM logs WHERE level = 'ERROR'"));
      assertEquals(n / 2, db.queryLong("SELECT COUNT(*) FROM logs WHERE JSON_VALUE(attributes, '$.odd') = 'true'"), "key-value pairs");
      assertTrue(db.queryLong("SELECT COUNT(*) FROM logs WHERE MICROSECOND(ts) % 1000 <> 0") > 0, "microseconds kept");
      checkErrorRow(db, 5000);
    } finally {
      db.drop();
    }
  }

  private static void checkErrorRow(TestSchema db, long seq) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT level, source, message, JSON_VALUE(attributes, '$.worker'), "
            + "JSON_VALUE(attributes, '$.logger'), JSON_VALUE(attributes, '$.thread'), JSON_VALUE(attributes, '$.stack_trace'), attributes "
            + "FROM logs WHERE JSON_VALUE(attributes, '$.seq') = ?")) {
      ps.setString(1, Long.toString(seq));
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("ERROR", rs.getString(1));
        assertEquals("checkout", rs.getString(2));
        assertEquals("failed " + seq, rs.getString(3));
        assertEquals(Long.toString(seq / PER_THREAD), rs.getString(4), "ThreadContext (MDC): " + rs.getString(8).substring(0, 300));
        assertEquals("app.Worker", rs.getString(5));
        assertEquals("worker-" + seq / PER_THREAD, rs.getString(6));
        assertTrue(rs.getString(7).contains("java.lang.IllegalStateException: boom " + seq), rs.getString(7));
      }
    }
  }

  private static void logMany(int worker) {
    Logger log = LoggerFactory.getLogger("app.Worker");
    MDC.put("worker", Integer.toString(worker));
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
}

package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.CapturedLogs;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LOAD DATA the server stops taking in: the statement sits in "Reading file" (as MariaDB 10.11 shows a
 * LOAD DATA waiting on a row lock) and the flusher waits inside Connector/J, with no error and no timeout (a
 * write has none; a read waits out socketTimeout, 2 minutes). Here the server waits on a lock another
 * transaction holds on the end of {@code logs}. The stall must show in /ready, in the metric and in ONE ERROR
 * line naming where the flusher waits, and its end in a WARN line.
 */
class FlusherStallLogTest {
  @TempDir
  Path queueDir;

  @Test
  void aLoadDataTheServerStopsReadingIsLoggedAtErrorWithWhereTheFlusherWaits() throws Exception {
    try (TestDatabase db = TestDatabase.create("stall_log");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("flush.interval", "300ms",
            "flush.stall.timeout", "2s"))) {
      assertEquals(202, router.post("/log", "{\"message\":\"before\"}").status());
      Await.until("the first event landed", Duration.ofSeconds(30),
          () -> db.queryLong("SELECT COUNT(*) FROM logs") == 1);
      try (CapturedLogs logged = new CapturedLogs()) {
        try (Connection blocker = db.dataSource().getConnection(); Statement st = blocker.createStatement()) {
          blocker.setAutoCommit(false);
          // Next-key locks up to the supremum: every insert after the last row waits (REPEATABLE READ).
          st.executeQuery("SELECT id FROM logs WHERE id >= 0 FOR UPDATE").close();
          assertEquals(202, router.post("/log", "{\"message\":\"waits\"}").status());
          Await.until("the router's LOAD DATA waits in the server", Duration.ofSeconds(20), () -> !db.queryRows(
              "SELECT state FROM information_schema.processlist WHERE db = '" + db.schema()
                  + "' AND info LIKE 'LOAD DATA%'").isEmpty());
          Await.until("/ready says the flusher is stalled", Duration.ofSeconds(30), () -> {
            RouterHarness.Response r = router.get("/ready");
            return r.status() == 503 && r.body().contains("flusher stalled");
          });
          assertTrue(router.get("/metrics").body().contains("logrouter_flush_stalled 1.0"), "the metric shows it");
          Await.until("an ERROR line says so", Duration.ofSeconds(10), () -> !logged.at(Level.ERROR).isEmpty());
          ILoggingEvent error = logged.at(Level.ERROR).get(0);
          assertTrue(error.getFormattedMessage().contains("flusher stalled"), error.getFormattedMessage());
          String stack = stack(error.getThrowableProxy());
          assertTrue(stack.contains("com.mysql.cj.") && stack.contains("io.logrouter.sink.LoadDataWriter.load"),
              "the line shows where the flusher waits: in Connector/J, in the LOAD DATA\n" + stack);
          Thread.sleep(2_000); // the stall goes on: still one line
          assertEquals(1, logged.at(Level.ERROR).size(), "one ERROR line per stall, not one per look");
          blocker.rollback();
        }
        Await.until("the event landed", Duration.ofSeconds(30),
            () -> db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'waits'") == 1);
        Await.until("ready again", Duration.ofSeconds(30), () -> router.get("/ready").status() == 200);
        Await.until("a WARN line says the flusher moves again", Duration.ofSeconds(10),
            () -> logged.has(Level.WARN, "flusher moving again"));
        assertTrue(router.get("/metrics").body().contains("logrouter_flush_stalled 0.0"), "the metric is back to 0");
      }
    }
  }

  private static String stack(IThrowableProxy t) {
    if (t == null) {
      return "(no stack)";
    }
    return t.getMessage() + "\n" + Arrays.stream(t.getStackTraceElementProxyArray())
        .map(StackTraceElementProxy::getSTEAsString).collect(Collectors.joining("\n"));
  }
}

package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A background thread that dies (an Error escapes it: here {@code Thread.stop}, which throws ThreadDeath
 * inside the thread) must not go unnoticed: /ready answers 503 naming it, a gauge and the thread-failure
 * counter show it, and the uncaught-exception handler logs it at ERROR.
 * Tagged "once": its subject is the threads, not the database (scripts/sql-test-classes.sh).
 */
@Tag("once")
class DeadThreadsReadyTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({"syslog-listener, the syslog listener thread is not running", "live-tail, the live tail thread is not running"})
  void aDeadBackgroundThreadShowsInReadyAndMetrics(String threadName, String reason) throws Exception {
    // Routers other tests in this JVM left open have threads of the same name: the victim is the
    // thread this router started, not the first one of that name (CI once stopped another router's).
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (TestDatabase db = TestDatabase.create("dead_threads");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("syslog.tcp.port",
            Integer.toString(RouterProcess.freePort())))) {
      Await.until("ready", Duration.ofSeconds(20), () -> router.get("/ready").status() == 200);
      List<Thread> started = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals(threadName) && !before.contains(t)).toList();
      assertEquals(1, started.size(), "the router started one thread named " + threadName + ": " + started);
      Thread victim = started.get(0);
      kill(victim);
      Await.until("/ready names the dead thread", Duration.ofSeconds(10), () -> {
        RouterHarness.Response ready = router.get("/ready");
        return ready.status() == 503 && ready.body().contains(reason);
      });
      String metrics = router.get("/metrics").body();
      assertTrue(metrics.contains("logrouter_background_down 1.0"), "the gauge shows it");
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("logrouter_thread_failures_total") && !l.endsWith(" 0.0")),
          "the thread failure is counted");
      assertEquals(202, router.post("/log", "{\"message\":\"HTTP ingest goes on\"}").status());
    }
  }

  @SuppressWarnings({"deprecation", "removal"})
  private static void kill(Thread victim) throws InterruptedException {
    try {
      // JDK 17: throws ThreadDeath in the victim (later JDKs removed it). A ThreadDeath that lands in
      // a library's catch-all is swallowed: stop again until the thread has ended.
      for (int i = 0; i < 20 && victim.isAlive(); i++) {
        victim.stop();
        victim.join(500);
      }
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("Thread.stop is not supported on this JDK: " + e);
    }
    assertTrue(!victim.isAlive(), "the thread ended");
  }
}

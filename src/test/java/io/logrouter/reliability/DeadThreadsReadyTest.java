package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
    try (TestDatabase db = TestDatabase.create("dead_threads");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("syslog.tcp.port",
            Integer.toString(RouterProcess.freePort())))) {
      Await.until("ready", Duration.ofSeconds(20), () -> router.get("/ready").status() == 200);
      Thread victim = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(threadName))
          .findFirst().orElseThrow(() -> new AssertionError("no thread named " + threadName));
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
      victim.stop(); // JDK 17: throws ThreadDeath in the victim; later JDKs removed it
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("Thread.stop is not supported on this JDK: " + e);
    }
    victim.join(5_000);
  }
}

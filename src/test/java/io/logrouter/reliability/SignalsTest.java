package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router process: SIGUSR1 flushes at once; SIGTERM drains, flushes and exits 0. */
class SignalsTest {
  @TempDir
  Path dir;

  @Test
  void sigusr1FlushesNowAndSigtermFlushesTheRestAndExitsZero() throws Exception {
    try (TestDatabase db = TestDatabase.create("signals")) {
      int port = RouterProcess.freePort();
      RouterProcess router = RouterProcess.start(Map.of(
          "LOGROUTER_HTTP_PORT", Integer.toString(port), "LOGROUTER_HTTP_HOST", "127.0.0.1",
          "LOGROUTER_DB_URL", db.jdbcUrl(), "LOGROUTER_DB_USER", db.user(), "LOGROUTER_DB_PASSWORD", db.password(),
          "LOGROUTER_QUEUE_DIR", dir.resolve("queue").toString(), "LOGROUTER_FLUSH_INTERVAL", "1h"), dir.resolve("log"));
      try {
        router.awaitReady(Duration.ofSeconds(60));
        post(port, "[{\"message\":\"one\"},{\"message\":\"two\"}]");
        router.signal("USR1");
        Await.until("SIGUSR1 flush", Duration.ofSeconds(30), () -> db.queryLong("SELECT COUNT(*) FROM logs") == 2);
        post(port, "{\"message\":\"three\"}");
        assertEquals(0, router.terminate(), router.logTail());
        assertEquals(3, db.queryLong("SELECT COUNT(*) FROM logs"), "the final flush wrote the rest");
      } finally {
        router.close();
      }
    }
  }

  private static void post(int port, String body) throws Exception {
    TestHttp.Response r = TestHttp.postJson("http://127.0.0.1:" + port + "/log", body);
    assertEquals(202, r.statusCode(), r.body());
  }
}

package io.logrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads: a short start-up, "db":"up" on /ready, and a "stopped" line after every SIGTERM. */
class StartStopOutputTest {
  /** Listening address with queue, database and flush policy, plus the open-router warning. */
  private static final int MAX_START_LINES = 4;

  @TempDir
  Path dir;

  @Test
  void startUpIsAFewLinesReadySaysUpAndSigtermEndsWithTheStoppedLine() throws Exception {
    try (TestDatabase db = TestDatabase.create("startstop")) {
      RouterProcess router = RouterProcess.start(env(db.jdbcUrl(), db), dir.resolve("log"));
      try {
        router.awaitReady(Duration.ofSeconds(60));
        TestHttp.Response ready = TestHttp.get("http://127.0.0.1:" + router.port() + "/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"db\":\"up\""), ready.body());
        List<String> start = lines(router.logFile());
        assertFalse(String.join("\n", start).contains("ch.qos.logback"), "no Logback status:\n" + String.join("\n", start));
        assertTrue(start.size() <= MAX_START_LINES, "start-up in at most " + MAX_START_LINES + " lines:\n"
            + String.join("\n", start));
        String listening = start.stream().filter(l -> l.contains("listening on")).findFirst().orElse("");
        for (String part : new String[] {"127.0.0.1:" + router.port(), "queue ", db.schema(), "flush every 1h or 10MB"}) {
          assertTrue(listening.contains(part), "the start line names " + part + ": " + listening);
        }
        assertEquals(0, router.terminate(), router.logTail());
        assertTrue(lastLine(router.logFile()).contains(" stopped; "), router.logTail());
        // Connector/J looked up the global OpenTelemetry, whose API then logged a line of its own: at start
        // or later, as the flusher's first connection raced the start-up lines (openTelemetry=DISABLED).
        String all = Files.readString(router.logFile());
        assertFalse(all.contains("OpenTelemetry"), "no OpenTelemetry line:\n" + all);
      } finally {
        router.close();
      }
    }
  }

  @Test
  void sigtermPrintsTheStoppedLineEvenWhenTheFinalFlushHangs() throws Exception {
    try (TestDatabase db = TestDatabase.create("stop_hang"); TcpProxy proxy = db.startProxy()) {
      Map<String, String> env = env(db.jdbcUrlThrough(proxy), db);
      env.put("LOGROUTER_FLUSH_SHUTDOWN_TIMEOUT", "1s");
      RouterProcess router = RouterProcess.start(env, dir.resolve("log"));
      try {
        router.awaitReady(Duration.ofSeconds(60));
        TestHttp.Response r = TestHttp.postJson("http://127.0.0.1:" + router.port() + "/log", "{\"message\":\"held\"}");
        assertEquals(202, r.statusCode(), r.body());
        proxy.blackhole(); // the final flush's statement never gets an answer
        assertEquals(0, router.terminate(), router.logTail());
        assertTrue(lastLine(router.logFile()).contains(" stopped; "), router.logTail());
      } finally {
        router.close();
      }
    }
  }

  private Map<String, String> env(String url, TestDatabase db) {
    Map<String, String> env = new HashMap<>(Map.of(
        "LOGROUTER_HTTP_PORT", Integer.toString(RouterProcess.freePort()), "LOGROUTER_HTTP_HOST", "127.0.0.1",
        "LOGROUTER_DB_URL", url, "LOGROUTER_DB_USER", db.user(), "LOGROUTER_DB_PASSWORD", db.password(),
        "LOGROUTER_QUEUE_DIR", dir.resolve("queue").toString(), "LOGROUTER_FLUSH_INTERVAL", "1h"));
    return env;
  }

  private static List<String> lines(Path log) throws Exception {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  private static String lastLine(Path log) throws Exception {
    List<String> lines = lines(log);
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}

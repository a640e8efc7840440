package io.logrouter.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.EventQueue;
import io.logrouter.config.ConfigKeys;
import io.logrouter.config.RouterConfig;
import io.logrouter.flush.FlushLanes;
import io.logrouter.http.HttpServer;
import io.logrouter.http.HttpSettings;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.CapturedLogs;
import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before it opens its port the router (Main, as shipped) serves itself requests on a scratch server and queue:
 * its ingest path is compiled before the first real request, and nothing of the warm-up is left behind, stored
 * or counted.
 */
class StartupWarmupTest {
  /** The ingest path's own methods: compiled only if requests went through it. */
  private static final List<String> INGEST_PATH = List.of("io.logrouter.event.IngestParser.parse",
      "io.logrouter.http.ReceiverHandler.handleRequest", "EventQueue.append");
  /** The flush path's own: compiled only if a flush ran (the rehearsal's, before any real one). */
  private static final List<String> FLUSH_PATH = List.of("io.logrouter.sink.LoadDataRows.writeRow",
      "io.logrouter.sink.MinuteCounts.add");

  @TempDir
  Path dir;
  private static final RouterConfig CONFIG = RouterConfig.of(Map.of("db.url", "jdbc:mysql://unused"));
  /** The router's server, never started, whose threads the scratch servers of the in-process tests run on. */
  private HttpServer routerServer;

  @Test
  void theIngestPathIsCompiledBeforeThePortOpensAndNothingOfTheWarmupIsStoredCountedOrLeftBehind() throws Exception {
    try (TestDatabase db = TestDatabase.create("warmup_on")) {
      Path queueDir = dir.resolve("queue");
      Map<String, String> env = env(db, queueDir);
      env.put("LOGROUTER_JVM_WARMUP_REQUESTS", "5000");
      try (RouterProcess router = RouterProcess.start(env, dir.resolve("router.log"))) {
        router.awaitReady(Duration.ofSeconds(90));
        String codeList = compiledMethods(router.pid()); // before any request of ours
        for (String method : INGEST_PATH) {
          assertTrue(codeList.contains(method), method + " is compiled before the first request:\n" + router.logTail());
        }
        for (String method : FLUSH_PATH) {
          assertTrue(codeList.contains(method), method + " is compiled before the first flush:\n" + router.logTail());
        }
        String log = Files.readString(router.logFile());
        Matcher line = Pattern.compile("start-up warm-up: (\\d+) requests to itself answered 2xx \\(5000 at least\\)"
            + ".*; (\\d+) of their events flushed to temporary tables;").matcher(log);
        assertTrue(line.find() && Integer.parseInt(line.group(1)) >= 5000 && Long.parseLong(line.group(2)) >= 5000,
            router.logTail());
        assertTrue(log.indexOf("start-up warm-up:") < log.indexOf("listening on"), "the warm-up ends before the port opens");
        assertFalse(Files.exists(queueDir.resolve("warmup")), "the scratch queue is deleted");

        String url = "http://127.0.0.1:" + router.port();
        assertEquals(202, TestHttp.post(url + "/log", "{\"message\":\"the only real event\"}".getBytes(
            StandardCharsets.UTF_8), "application/json", null).statusCode());
        assertEquals(200, TestHttp.post(url + "/admin/flush", new byte[0], null, null).statusCode());
        assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs"), "only the real event reaches MySQL");
        assertEquals(1, db.queryLong("SELECT SUM(events) FROM log_minute_counts"), "and is the only one counted there");
        assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"));
        String metrics = TestHttp.get(url + "/metrics").body();
        assertTrue(metrics.contains("logrouter_events_received_total 1.0"), "only the real event is counted");
      }
    }
  }

  @Test
  void aRouterKilledDuringItsWarmupStoresNothingOfItAndItsNextStartDeletesTheScratchQueue() throws Exception {
    try (TestDatabase db = TestDatabase.create("warmup_kill")) {
      Path queueDir = dir.resolve("queue");
      Path scratch = queueDir.resolve("warmup");
      Map<String, String> env = env(db, queueDir);
      env.put("LOGROUTER_JVM_WARMUP_REQUESTS", "2000000"); // still warming up (to its 15 s limit) when killed
      try (RouterProcess first = RouterProcess.start(env, dir.resolve("first.log"))) {
        Await.until("the warm-up's scratch queue has a cycle file", Duration.ofSeconds(60), () -> cycleFiles(scratch) > 0);
        Thread.sleep(1_000); // requests appended meanwhile
        assertEquals(RouterProcess.SIGKILL_EXIT, first.kill9());
      }
      assertTrue(cycleFiles(scratch) > 0, "the killed warm-up left its scratch queue behind");

      env.put("LOGROUTER_JVM_WARMUP_REQUESTS", "2000");
      try (RouterProcess second = RouterProcess.start(env, dir.resolve("second.log"))) {
        second.awaitReady(Duration.ofSeconds(90));
        assertFalse(Files.exists(scratch), "the next start deleted it");
        assertEquals(200, TestHttp.post("http://127.0.0.1:" + second.port() + "/admin/flush", new byte[0], null, null)
            .statusCode());
        assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"), "no warm-up event reached MySQL");
      }
    }
  }

  @Test
  void aRouterKilledWhileItRehearsesAFlushLeavesEveryTableAsItWas() throws Exception {
    try (TestDatabase db = TestDatabase.create("warmup_kill_flush")) {
      Map<String, String> env = env(db, dir.resolve("queue"));
      env.put("LOGROUTER_JVM_WARMUP_REQUESTS", "20000");
      String rehearsing = "SELECT COUNT(*) FROM information_schema.processlist WHERE db = '" + db.schema()
          + "' AND info LIKE 'LOAD DATA%'"; // the router has no event of its own: any LOAD DATA is the rehearsal's
      try (RouterProcess router = RouterProcess.start(env, dir.resolve("router.log"))) {
        Await.until("a rehearsed flush is loading", Duration.ofSeconds(90), () -> db.queryLong(rehearsing) > 0);
        assertEquals(RouterProcess.SIGKILL_EXIT, router.kill9());
      }
      for (String table : List.of("logs", "log_minute_counts", "log_source_minute_counts", "logs_rejected", "ingest_keys",
          "logs_id_writers")) {
        assertEquals(0, db.queryLong("SELECT COUNT(*) FROM " + table), table + " holds nothing of the rehearsal");
      }
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM router_offsets WHERE last_index >= 0"), "no offset moved");
    }
  }

  @Test
  void aRouterWhoseDatabaseIsDownWarmsUpWithoutTheFlushRehearsalAndServes() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("LOGROUTER_HTTP_PORT", Integer.toString(RouterProcess.freePort()),
        "LOGROUTER_HTTP_HOST", "127.0.0.1", "LOGROUTER_QUEUE_DIR", dir.resolve("queue").toString(),
        "LOGROUTER_DB_URL", "jdbc:mysql://127.0.0.1:" + RouterProcess.freePort() + "/nothing_listens",
        "LOGROUTER_JVM_JIT_IDLE", "false", "LOGROUTER_JVM_WARMUP_REQUESTS", "3000"));
    try (RouterProcess router = RouterProcess.start(env, dir.resolve("router.log"))) {
      router.awaitReady(Duration.ofSeconds(90));
      String log = Files.readString(router.logFile());
      assertTrue(Pattern.compile("start-up warm-up: \\d+ requests to itself answered 2xx \\(3000 at least\\) in .*; "
          + "flushes not rehearsed \\(no temporary tables: [^;]+\\); ").matcher(log).find(), router.logTail());
      assertEquals(202, TestHttp.post("http://127.0.0.1:" + router.port() + "/log", "{\"message\":\"queued\"}".getBytes(
          StandardCharsets.UTF_8), "application/json", null).statusCode(), "it takes events into its queue");
    }
  }

  private static long cycleFiles(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).count();
    } catch (IOException e) {
      return 0; // not there yet
    }
  }

  @Test
  void withTheWarmupOffTheIngestPathIsStillColdWhenThePortOpens() throws Exception {
    try (TestDatabase db = TestDatabase.create("warmup_off")) {
      Map<String, String> env = env(db, dir.resolve("queue"));
      env.put("LOGROUTER_JVM_WARMUP_REQUESTS", "0");
      try (RouterProcess router = RouterProcess.start(env, dir.resolve("router.log"))) {
        router.awaitReady(Duration.ofSeconds(90));
        String codeList = compiledMethods(router.pid());
        assertFalse(codeList.contains("io.logrouter.event.IngestParser.parse"), "no request has run it yet");
        assertFalse(codeList.contains("io.logrouter.sink.LoadDataRows.writeRow"), "no flush has run it yet");
        assertFalse(Files.readString(router.logFile()).contains("start-up warm-up"), router.logTail());
      }
    }
  }

  @Test
  void aWarmupThatCannotRunIsAWarningAndTheStartGoesOn() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("warmup"));
    Files.writeString(scratch.resolve("left-by-a-crash"), "x");
    try (CapturedLogs logs = new CapturedLogs()) {
      StartupWarmup.Outcome outcome = StartupWarmup.run(100, scratch, d -> {
        assertTrue(Files.isDirectory(d) || !Files.exists(d));
        assertFalse(Files.exists(d.resolve("left-by-a-crash")), "what an earlier start left is deleted first");
        throw new IllegalStateException("injected: the scratch queue cannot be opened");
      });
      assertNotNull(outcome.problem());
      assertTrue(outcome.problem().contains("injected"), outcome.problem());
      assertEquals(1, logs.at(Level.WARN).size(), "one WARN line");
      assertTrue(logs.has(Level.WARN, "it failed: java.lang.IllegalStateException: injected"));
    }
    assertFalse(Files.exists(scratch), "nothing is left behind");
  }

  @Test
  void theLoadGoesOnInRoundsUntilOneEndsWithNothingCompilingOrQueued() {
    // The JIT's queue as the warm-up reads it after each round: 40 methods, then 3, then none.
    Iterator<Integer> queue = List.of(40, 3, 0).iterator();
    StartupWarmup.Outcome outcome = StartupWarmup.run(500, dir.resolve("warmup"), this::scratchServer, queue::next,
        Duration.ofSeconds(60));
    assertEquals(500 + 2 * StartupWarmup.ROUND, outcome.answered2xx(), outcome.toString());
    assertTrue(outcome.quiet());
    assertEquals(0, outcome.otherAnswers());
    assertFalse(Files.exists(dir.resolve("warmup")), "the scratch queue is deleted");
  }

  @Test
  void compilersThatNeverGoQuietEndTheWarmupAtItsTimeLimitAndItSaysSo() {
    try (CapturedLogs logs = new CapturedLogs()) {
      StartupWarmup.Outcome outcome = StartupWarmup.run(200, dir.resolve("warmup"), this::scratchServer,
          () -> 7, Duration.ofMillis(3_000));
      assertFalse(outcome.quiet());
      assertTrue(outcome.answered2xx() > 0 && outcome.millis() < 10_000, outcome.toString());
      assertEquals(0, logs.at(Level.WARN).size(), "a limit reached is no fault");
      assertTrue(logs.has(Level.INFO, "the compilers were still at work at its 3000 ms limit; opening the port"));
    }
  }

  @Test
  void theFlushesAreRehearsedAfterEachRoundAndAFailedOneEndsOnlyTheRehearsal() {
    List<String> calls = new java.util.ArrayList<>();
    FlushRehearsal failingSecond = new FlushRehearsal() {
      @Override
      public long flushAll() throws java.sql.SQLException {
        calls.add("flush");
        if (calls.size() == 2) {
          throw new java.sql.SQLException("injected: the database went away");
        }
        return 100;
      }

      @Override
      public String absence() {
        return null;
      }

      @Override
      public void close() {
        calls.add("close");
      }
    };
    Iterator<Integer> queue = List.of(40, 3, 2, 0).iterator();
    try (CapturedLogs logs = new CapturedLogs()) {
      StartupWarmup.Outcome outcome = StartupWarmup.run(500, dir.resolve("warmup"),
          d -> withFlushes(scratchServer(d), failingSecond), queue::next, Duration.ofSeconds(60));
      assertEquals(List.of("flush", "flush", "close"), calls, "one rehearsal per round until one fails, then closed");
      assertEquals(100, outcome.rowsRehearsed());
      assertTrue(outcome.flushesMissing().contains("injected"), outcome.toString());
      assertEquals(500 + 3 * StartupWarmup.ROUND, outcome.answered2xx(), "the warm-up goes on");
      assertTrue(logs.has(Level.INFO, "flushes not rehearsed (a rehearsed flush failed after 100 rows: "),
          logs.at(Level.INFO).toString());
      assertEquals(0, logs.at(Level.WARN).size());
    }
  }

  @Test
  void roundsGoOnUntilEnoughFlushesWereRehearsedEvenWithTheCompilersQuiet() {
    java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
    FlushRehearsal counting = new FlushRehearsal() {
      @Override
      public long flushAll() {
        flushes.incrementAndGet();
        return 10;
      }

      @Override
      public String absence() {
        return null;
      }

      @Override
      public void close() {}
    };
    StartupWarmup.Outcome outcome = StartupWarmup.run(500, dir.resolve("warmup"),
        d -> withFlushes(scratchServer(d), counting), () -> 0, Duration.ofSeconds(60));
    assertEquals(StartupWarmup.MIN_REHEARSED_FLUSHES, flushes.get());
    assertEquals(500 + (StartupWarmup.MIN_REHEARSED_FLUSHES - 1) * StartupWarmup.ROUND, outcome.answered2xx());
    assertTrue(outcome.quiet());
    assertEquals(10L * StartupWarmup.MIN_REHEARSED_FLUSHES, outcome.rowsRehearsed());
  }

  private static StartupWarmup.ScratchServer withFlushes(StartupWarmup.ScratchServer s, FlushRehearsal flushes) {
    return new StartupWarmup.ScratchServer(s.server(), () -> flushes, s.parts());
  }

  @BeforeEach
  void startTheRoutersThreads() {
    routerServer = new HttpServer(HttpSettings.from(CONFIG), parts(null, null), routes -> { });
  }

  @AfterEach
  void stopTheRoutersThreads() {
    routerServer.stop(Duration.ZERO);
  }

  /** What LogRouter builds for the warm-up, without a database: the routes the warm-up calls never use one. */
  private StartupWarmup.ScratchServer scratchServer(Path scratch) {
    try {
      Files.createDirectories(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EventQueue queue = EventQueue.open(scratch, CONFIG.get(ConfigKeys.QUEUE_ROLL_CYCLE));
    BacklogGate gate = BacklogGate.forQueueDir(scratch, 1L << 30, 0);
    HttpServer server = HttpServer.forWarmup(HttpSettings.from(CONFIG), parts(queue, gate), routerServer);
    return new StartupWarmup.ScratchServer(server, () -> FlushRehearsal.none("not in this test"), List.of(gate, queue));
  }

  /** No flush lanes: /health answers 200 as with a running flusher. */
  private static HttpServer.Parts parts(EventQueue queue, BacklogGate gate) {
    return new HttpServer.Parts(queue, gate, null, new FlushLanes(0, lane -> null), null,
        CONFIG.get(ConfigKeys.DB_PROFILE).nodeReady(), RouterMetrics.unexported(), 10 << 20, 64 << 10, false, () -> null);
  }

  private Map<String, String> env(TestDatabase db, Path queueDir) {
    return new HashMap<>(Map.of("LOGROUTER_HTTP_PORT", Integer.toString(RouterProcess.freePort()),
        "LOGROUTER_HTTP_HOST", "127.0.0.1", "LOGROUTER_DB_URL", db.jdbcUrl(), "LOGROUTER_DB_USER", db.user(),
        "LOGROUTER_DB_PASSWORD", db.password(), "LOGROUTER_QUEUE_DIR", queueDir.toString(),
        "LOGROUTER_JVM_JIT_IDLE", "false"));
  }

  /** The JIT's code cache of a JVM (jcmd Compiler.codelist): one line per compiled method. */
  private static String compiledMethods(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Compiler.codelist").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd: " + out);
    return out;
  }
}

package io.logrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.config.ConfigKey;
import io.logrouter.config.ConfigKeys;
import io.logrouter.testsupport.ChildJvm;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar log-router.jar ...} as a user types it: help, version, and every user error in one line. */
class CommandLineTest {
  private static final Duration QUICK = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void helpListsEveryOptionTheEnvironmentRuleAndBothQueueCommands() {
    ChildJvm jvm = ChildJvm.start(dir, Map.of(), "io.logrouter.Main", "--help");
    assertEquals(0, jvm.awaitExit(QUICK), jvm.stderr());
    String help = jvm.stdout();
    for (String expected : new String[] {"--config FILE", "--help", "--version", "queue verify [--dir D]",
        "queue dump --from INDEX --limit N", "LOGROUTER_", "dots to underscores", "LOGROUTER_CONFIG"}) {
      assertTrue(help.contains(expected), "--help mentions " + expected + ":\n" + help);
    }
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertTrue(help.contains(key.name()), "--help lists " + key.name());
    }
  }

  @Test
  void versionPrintsTheVersion() {
    ChildJvm jvm = ChildJvm.start(dir, Map.of(), "io.logrouter.Main", "--version");
    assertEquals(0, jvm.awaitExit(QUICK), jvm.stderr());
    assertTrue(jvm.stdout().matches("log-router \\d+\\.\\d+\\.\\d+.*\\R"), jvm.stdout());
  }

  @Test
  void queueDispatchesToTheQueueCommandWithItsExitCode() {
    ChildJvm jvm = ChildJvm.start(dir, Map.of(), "io.logrouter.Main", "queue", "verify", "--dir", dir.toString());
    int code = jvm.awaitExit(QUICK);
    assertFalse(jvm.stderr().contains("db.url"), "queue never starts the router: " + jvm.stderr());
    assertFalse(jvm.stdout().contains("listening"), jvm.stdout());
    assertTrue(code == 0 || code == 1 || code == 2, "QueueCommand's exit code: " + code);
  }

  @Test
  void userErrorsStopStartUpWithOneLineNamingKeyValueAndWhatIsAllowed() {
    String url = "jdbc:mysql://127.0.0.1:1/none";
    userError(Map.of("LOGROUTER_DB_URL", url), new String[] {"--config", "/nonexistent.properties"},
        "log-router: --config: /nonexistent.properties: no such file");
    userError(Map.of("LOGROUTER_DB_URL", url, "LOGROUTER_FLUSH_INTERVALL", "1s"), new String[0],
        "log-router: LOGROUTER_FLUSH_INTERVALL: 1s: not a log-router variable; did you mean LOGROUTER_FLUSH_INTERVAL?");
    userError(Map.of("LOGROUTER_DB_URL", url, "LOGROUTER_FLUSH_INTERVAL", "30"), new String[0],
        "log-router: flush.interval: 30: a duration with a unit, like 30s, 500ms, 5m or 1h");
    userError(Map.of("LOGROUTER_DB_URL", url, "LOGROUTER_QUEUE_DURABILITY", "SYNC"), new String[0],
        "log-router: queue.durability: SYNC: one of process, fsync");
    userError(Map.of("LOGROUTER_DB_URL", url, "LOGROUTER_DB_POOL_SIZE", "abc"), new String[0],
        "log-router: db.pool.size: abc: a whole number > 0");
    userError(Map.of("LOGROUTER_DB_URL", url), new String[] {"--verbose"}, "log-router: --verbose: unknown option; see --help");
  }

  @Test
  void aPortInUseStopsTheProcessWithExitOneAndOneLineNamingHostAndPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ChildJvm jvm = ChildJvm.start(dir, Map.of("LOGROUTER_DB_URL", "jdbc:mysql://127.0.0.1:1/none",
          "LOGROUTER_HTTP_HOST", "127.0.0.1", "LOGROUTER_HTTP_PORT", Integer.toString(port),
          "LOGROUTER_QUEUE_DIR", dir.resolve("queue").toString()), "io.logrouter.Main");
      assertEquals(1, jvm.awaitExit(QUICK), jvm.stderr());
      assertOneLine(jvm, "log-router: 127.0.0.1:" + port + ": cannot listen: ");
    }
  }

  private void userError(Map<String, String> env, String[] args, String line) {
    ChildJvm jvm = ChildJvm.start(dir, env, "io.logrouter.Main", args);
    assertEquals(2, jvm.awaitExit(QUICK), jvm.stderr());
    assertOneLine(jvm, line);
  }

  private static void assertOneLine(ChildJvm jvm, String startOfLine) {
    String err = jvm.stderr();
    assertTrue(err.startsWith(startOfLine) && err.indexOf('\n') == err.length() - 1,
        "one line starting «" + startOfLine + "», got:\n" + err + "\nstdout:\n" + jvm.stdout());
    assertFalse(jvm.stdout().contains("Exception") || err.contains("Exception"), "no stack trace");
  }
}

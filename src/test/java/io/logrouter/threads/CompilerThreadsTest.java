package io.logrouter.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Once warm, the router's C2 compiler threads run under SCHED_IDLE (jvm.jit.idle), and only they. */
class CompilerThreadsTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void linuxOnly() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc/self/task: not Linux");
  }

  @Test
  void onceWarmTheRoutersC2CompilerThreadsRunUnderSchedIdleAndItsOtherThreadsDoNot() throws Exception {
    List<Task> tasks = routerThreads(Map.of(), "jit_idle");
    List<Task> compilers = tasks.stream().filter(Task::compiler).toList();
    assertFalse(compilers.isEmpty(), "the router has C2 compiler threads: " + tasks);
    assertTrue(tasks.stream().anyMatch(t -> t.comm().equals("C1 CompilerThre")), "and a C1 one: " + tasks);
    assertTrue(tasks.size() - compilers.size() > 10, "the router's other threads were seen too: " + tasks);
    for (Task t : tasks) {
      assertEquals(t.compiler() ? CompilerThreads.SCHED_IDLE : 0, t.policy(), t.toString());
    }
  }

  @Test
  void jvmJitIdleFalseLeavesTheCompilerThreadsAlone() throws Exception {
    List<Task> tasks = routerThreads(Map.of("LOGROUTER_JVM_JIT_IDLE", "false"), "jit_normal");
    assertTrue(tasks.stream().anyMatch(Task::compiler), "compiler threads were seen: " + tasks);
    tasks.forEach(t -> assertEquals(0, t.policy(), t.toString()));
  }

  @Test
  void aSchedulerThatFailsIsReportedAndNothingElseIsTried() throws Exception {
    List<Long> tried = new ArrayList<>();
    CompilerThreads.Outcome outcome = CompilerThreads.demote(Path.of("/proc/self/task"), tid -> {
      tried.add(tid);
      throw new IOException("cannot run chrt (util-linux): No such file or directory");
    });
    assertEquals(0, outcome.demoted());
    assertEquals(1, tried.size(), "the first failure ends the attempt: " + tried);
    assertTrue(threads(Path.of("/proc/self/task")).stream().anyMatch(t -> t.tid() == tried.get(0) && t.compiler()),
        "it tried a compiler thread of this JVM");
    assertNotNull(outcome.problem());
    assertTrue(outcome.describe().contains("keep their normal priority") && outcome.describe().contains("chrt"),
        outcome.describe());
  }

  @Test
  void aProcessWithoutCompilerThreadsSaysSo() throws Exception {
    Path task = Files.createDirectories(dir.resolve("task/42"));
    Files.writeString(task.resolve("comm"), "XNIO-1 I/O-1\n");
    CompilerThreads.Outcome outcome = CompilerThreads.demote(dir.resolve("task"), tid -> {
      throw new AssertionError("no thread to demote");
    });
    assertEquals(0, outcome.demoted());
    assertTrue(outcome.problem().contains("no C2 compiler thread"), outcome.problem());
  }

  @Test
  void warmUpIsOverAfterTheFirstWindowSpentMostlyNotCompiling() {
    long second = 1_000_000_000L;
    CompileQuiet warmup = new CompileQuiet(0, 0);
    assertFalse(warmup.over(second, 1_400), "compiling 140 % of a core (two compiler threads)");
    assertFalse(warmup.over(2 * second, 1_400 + 60), "6 % of the window: still warming");
    assertTrue(warmup.over(3 * second, 1_460 + 50), "5 % of the window: the queue had drained");
    CompileQuiet late = new CompileQuiet(0, 0);
    assertTrue(late.over(10 * second, 400), "a late look counts the share over the whole time since the last");
  }

  @Test
  void aWatchLookThatThrowsIsLoggedAsAnErrorCountedAndTheWatchGoesOnToDemote() throws Exception {
    Path task = Files.createDirectories(dir.resolve("task/4242"));
    Files.writeString(task.resolve("comm"), "C2 CompilerThre\n");
    java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
    List<Long> demoted = new java.util.concurrent.CopyOnWriteArrayList<>();
    long failuresBefore = RouterThreads.failures();
    try (io.logrouter.testsupport.CapturedLogs logs = new io.logrouter.testsupport.CapturedLogs()) {
      java.util.concurrent.ScheduledExecutorService watch = CompilerThreads.demoteAfterWarmup(() -> {
        if (looks.getAndIncrement() == 1) {
          throw new IllegalStateException("injected: compile time unreadable");
        }
        return 0; // no compiling at all: warm at the first look that works
      }, Duration.ofMillis(20), dir.resolve("task"), demoted::add);
      assertTrue(watch.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS), "the watch ends once it demoted");
      assertEquals(List.of(4242L), demoted);
      assertEquals(1, logs.at(ch.qos.logback.classic.Level.ERROR).size(), "one ERROR line");
      assertTrue(logs.has(ch.qos.logback.classic.Level.ERROR, "JIT warm-up watch failed"));
      assertEquals(failuresBefore + 1, RouterThreads.failures(), "counted in logrouter_thread_failures_total");
      assertTrue(logs.has(ch.qos.logback.classic.Level.INFO, "JIT warm-up over: 1 C2"));
    }
  }

  /** One thread of the router: its id, name (comm) and scheduling policy. */
  private record Task(long tid, String comm, int policy) {
    boolean compiler() {
      return CompilerThreads.COMPILER_COMMS.contains(comm);
    }
  }

  /** Starts the router (Main, as shipped) and reads each of its threads' scheduling policy once it is ready. */
  private List<Task> routerThreads(Map<String, String> extraEnv, String schema) throws Exception {
    try (TestDatabase db = TestDatabase.create(schema)) {
      Map<String, String> env = new HashMap<>(Map.of(
          "LOGROUTER_HTTP_PORT", Integer.toString(RouterProcess.freePort()), "LOGROUTER_HTTP_HOST", "127.0.0.1",
          "LOGROUTER_DB_URL", db.jdbcUrl(), "LOGROUTER_DB_USER", db.user(), "LOGROUTER_DB_PASSWORD", db.password(),
          "LOGROUTER_QUEUE_DIR", dir.resolve(schema).toString()));
      env.putAll(extraEnv);
      try (RouterProcess router = RouterProcess.start(env, dir.resolve(schema + ".log"))) {
        router.awaitReady(Duration.ofSeconds(60));
        awaitWarmUp(router, !"false".equals(env.get("LOGROUTER_JVM_JIT_IDLE")));
        List<Task> tasks = threads(Path.of("/proc", Long.toString(router.pid()), "task"));
        assertFalse(Files.readString(router.logFile()).contains("keep their normal priority"), router.logTail());
        return tasks;
      }
    }
  }

  /** An idle router's compilers go quiet within seconds of start; one that keeps them waits as long. */
  private static void awaitWarmUp(RouterProcess router, boolean demotes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(demotes ? 60 : 5).toNanos();
    while (System.nanoTime() < deadline && !Files.readString(router.logFile()).contains("JIT warm-up over")) {
      Thread.sleep(100);
    }
    assertEquals(demotes, Files.readString(router.logFile()).contains("C2 JIT compiler thread(s) now run under SCHED_IDLE"), router.logTail());
  }

  private static List<Task> threads(Path taskDir) throws IOException {
    List<Task> tasks = new ArrayList<>();
    try (Stream<Path> list = Files.list(taskDir)) {
      for (Path t : (Iterable<Path>) list::iterator) {
        long tid = Long.parseLong(t.getFileName().toString());
        try {
          tasks.add(new Task(tid, Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).strip(),
              CompilerThreads.policy(taskDir, tid)));
        } catch (IOException gone) {
          // a thread that ended meanwhile
        }
      }
    }
    return tasks;
  }
}

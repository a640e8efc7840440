package io.logrouter.threads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the JVM has warmed up, puts its C2 JIT compiler threads under Linux's {@code SCHED_IDLE} policy, so that
 * the recompiling that goes on for minutes after start never holds up a request.
 *
 * <p>Why: at 1,000 req/s on two cores, a kernel trace (sched_switch, sched_wakeup) showed the requests slower
 * than 1 ms waiting up to a few ms for a CPU after their thread was woken, most often behind the C2 compiler
 * thread, while the other CPU sat idle: a woken thread is queued on a CPU, and the scheduler does not take the
 * compiler off that CPU for it. A higher nice value does not change that (nice 19 measured the same as nice 0);
 * {@code SCHED_IDLE} does: the kernel counts a CPU that runs only idle-policy threads as free when it places a
 * woken thread, and a woken normal thread preempts them at once.
 *
 * <p>Why only after warm-up, and only C2: an idle-policy thread gets next to no CPU while the others want it
 * all. Demoted from the start, a router saturated from a cold start stayed in slow code (single-event ingest
 * 0.36 of nginx instead of 0.42-0.50). So the compilers keep their normal priority until a whole
 * {@link CompileQuiet#WINDOW} went by with at most {@link CompileQuiet#QUIET_SHARE} of it spent compiling; then C2 is
 * demoted, for good (an unprivileged thread cannot leave SCHED_IDLE). C1 keeps its priority: code first seen
 * later (a new receiver's, a query's) still leaves the interpreter at once, and its C2 compile waits for idle
 * time. Compiler threads the JVM adds later are created by a compiler thread and inherit its policy.
 *
 * <p>Java cannot call {@code sched_setscheduler}, so util-linux's {@code chrt} does it, once per thread.
 * Lowering one's own threads to {@code SCHED_IDLE} needs no privilege. Where it fails (no chrt, not Linux) the
 * router runs as before and says so once, as a WARN.
 */
public final class CompilerThreads {
  private static final Logger LOG = LoggerFactory.getLogger(CompilerThreads.class);
  /** The C2 compiler threads' name as Linux keeps it (comm: the first 15 bytes of "C2 CompilerThread0"). */
  static final Set<String> COMPILER_COMMS = Set.of("C2 CompilerThre");
  /** Linux's number for SCHED_IDLE: field 41 of /proc/PID/task/TID/stat. */
  static final int SCHED_IDLE = 5;
  private static final long CHRT_TIMEOUT_SECONDS = 10;

  /** Changes one thread's scheduling policy to SCHED_IDLE. */
  public interface Scheduler {
    Scheduler CHRT = CompilerThreads::chrtIdle;

    void setIdle(long tid) throws IOException;
  }

  /** What {@link #demote} did: how many compiler threads it moved, or why it moved none. */
  public record Outcome(int demoted, String problem) {
    public String describe() {
      return problem == null
          ? demoted + " C2 JIT compiler thread(s) now run under SCHED_IDLE (jvm.jit.idle): recompiling waits for idle CPU"
          : "the C2 JIT compiler threads keep their normal priority (jvm.jit.idle): " + problem;
    }
  }

  private CompilerThreads() {}

  /**
   * Watches this JVM's compile time on a thread of its own, demotes its C2 compiler threads when warm-up is
   * over (logged), and ends. Returns at once.
   */
  public static void demoteOwnAfterWarmup() {
    CompileQuiet.jvmCompileMillis().ifPresentOrElse(
        compileMillis -> demoteAfterWarmup(compileMillis, CompileQuiet.WINDOW, Path.of("/proc/self/task"), Scheduler.CHRT),
        () -> LOG.warn(new Outcome(0, "this JVM does not report its compile time, so warm-up cannot be told").describe()));
  }

  /**
   * The watch itself: every {@code period} reads the total compile time, and at the first quiet window demotes
   * the C2 threads under {@code taskDir} and ends. A look that throws is logged and counted
   * ({@link RouterThreads#guarded}) and the next one still happens.
   */
  static ScheduledExecutorService demoteAfterWarmup(LongSupplier compileMillis, Duration period, Path taskDir,
      Scheduler scheduler) {
    CompileQuiet warmup = new CompileQuiet(System.nanoTime(), compileMillis.getAsLong());
    ScheduledExecutorService watch = RouterThreads.scheduler("jit-warmup-watch");
    watch.scheduleWithFixedDelay(RouterThreads.guarded("JIT warm-up watch", () -> {
      if (warmup.over(System.nanoTime(), compileMillis.getAsLong())) {
        watch.shutdown();
        Outcome outcome = demote(taskDir, scheduler);
        if (outcome.problem() == null) {
          LOG.info("JIT warm-up over: {}", outcome.describe());
        } else {
          LOG.warn(outcome.describe());
        }
      }
    }), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  /** Demotes the compiler threads found under {@code taskDir} (a process's /proc/PID/task). */
  public static Outcome demote(Path taskDir, Scheduler scheduler) {
    List<Long> tids;
    try {
      tids = compilerThreads(taskDir);
    } catch (IOException e) {
      return new Outcome(0, "cannot list the JVM's threads (" + e.getMessage() + ")");
    }
    if (tids.isEmpty()) {
      return new Outcome(0, "no C2 compiler thread found in " + taskDir);
    }
    int demoted = 0;
    for (long tid : tids) {
      try {
        scheduler.setIdle(tid);
        demoted++;
      } catch (IOException e) {
        return new Outcome(demoted, e.getMessage());
      }
    }
    return new Outcome(demoted, null);
  }

  /** Thread ids under {@code taskDir} whose name is a compiler thread's. */
  static List<Long> compilerThreads(Path taskDir) throws IOException {
    List<Long> tids = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(taskDir)) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String comm;
        try {
          comm = ProcFiles.read(task.resolve("comm")).strip();
        } catch (IOException gone) {
          continue; // the thread ended while we listed
        }
        if (COMPILER_COMMS.contains(comm)) {
          tids.add(Long.parseLong(task.getFileName().toString()));
        }
      }
    }
    return tids;
  }

  /** The scheduling policy of a thread (0 normal, 5 SCHED_IDLE), from its stat line. */
  static int policy(Path taskDir, long tid) throws IOException {
    String stat = ProcFiles.read(taskDir.resolve(Long.toString(tid)).resolve("stat"));
    // The name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Integer.parseInt(fields[41 - 3]);
  }

  private static void chrtIdle(long tid) throws IOException {
    Process chrt;
    try {
      chrt = new ProcessBuilder("chrt", "--idle", "--pid", "0", Long.toString(tid))
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run chrt (util-linux): " + e.getMessage(), e);
    }
    try {
      if (!chrt.waitFor(CHRT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        chrt.destroyForcibly();
        throw new IOException("chrt --idle --pid 0 " + tid + " did not end in " + CHRT_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while chrt ran", e);
    }
    if (chrt.exitValue() != 0) {
      String output = new String(chrt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      throw new IOException("chrt --idle --pid 0 " + tid + " failed (exit " + chrt.exitValue() + "): " + output);
    }
  }
}

package io.logrouter.warmup;

import io.logrouter.http.HttpServer;
import io.logrouter.threads.CompileQueue;
import io.logrouter.threads.CompileQuiet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the warm-up (see the package): opens the scratch server in a scratch directory, sends it
 * {@code jvm.warmup.requests} requests, then more in rounds of {@link #ROUND} until one ends with nothing being
 * compiled or queued ({@link CompileQueue}), then stops the server and deletes the directory. Never fails the
 * start: whatever goes wrong is logged (WARN) and the router starts cold.
 *
 * <p>Why (issue 13): a router started cold and then sent 1,000 requests a second answered its first ~10 s at a p99
 * of 2.6-3.8 ms, while its code ran in the interpreter and the C1/C2 compilers took a core; from then on 0.4-0.6 ms.
 * Those seconds held more of the run's slow answers than all the others together.
 *
 * <p>Why the load goes on until the compilers are quiet, and not the compilers alone: HotSpot raises the count a
 * method needs for C2 with the length of C2's queue, so while the first requests flood that queue the hottest
 * methods stay in C1 code; they are queued for C2 only when called again after it drained. A first version that
 * stopped the load and then waited for quiet left the request handlers in C1 (seen with -XX:+PrintCompilation):
 * the first real requests then set off C2 compiles again. Nor is a round without compile time quiet: that counter
 * grows only when a compile ends, and one large C2 compile can fill a round with more queued behind it. Why one
 * connection per two cores: a request and its answer keep one core busy, the other is left to the compilers. Why
 * two at least: with one, no two requests ever appended at once, C2 compiled the queue's write lock as never
 * taken by another thread, and the first real contention threw it away (seen in the JIT log).
 *
 * <p>Why on the router's own threads ({@link HttpServer#forWarmup}), and why GETs and several timestamp forms in
 * the mix ({@link WarmupRequests}): each time something first happened after the warm-up (its server's threads
 * ended, a first GET /health, a first millisecond timestamp, a first Host header with a port, a first number 0, a
 * first bulk body arriving in parts, larger than an I/O thread's record buffer), HotSpot threw compiled request-path
 * code away (seen with -XX:+PrintCompilation and the JIT log). Why {@link LateClasses} first:
 * the first thread to queue for a lock loaded a class whose absence C2 had compiled the request path on. What is
 * left: each I/O thread's first append to the real queue (a new Chronicle appender, a first header in its file)
 * still discards a few compiled methods of the queue.
 *
 * <p>Why flushes are rehearsed after each round ({@link FlushRehearsal}), at least {@link #MIN_REHEARSED_FLUSHES}:
 * without them the first real flush compiled the flush path while requests came in.
 */
public final class StartupWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);
  /**
   * The warm-up ends here even if the compilers are still at work: the port opens at most this much later. On
   * 2 cores the compilers went quiet after 6-12 s of it.
   */
  static final Duration MAX_TIME = Duration.ofSeconds(15);
  /** Requests per round once the configured count is sent: 0.1-0.3 s each, short enough to end soon after quiet. */
  static final int ROUND = 1_000;
  /**
   * Rounds go on until at least this many flushes were rehearsed: after a single one, the first real flush still
   * set off 44 compiles and 10 deoptimisations in its first 2 s, against 12-14 and 5-7 after several (session 22).
   */
  static final int MIN_REHEARSED_FLUSHES = 3;
  /**
   * How often the scratch queue moves to a new cycle file: a dozen times or more in a warm-up, so that the append
   * and the read cross files as often as HotSpot needs to see it happen, and never to compile it out.
   */
  public static final Duration SCRATCH_ROLL_EVERY = Duration.ofMillis(500);

  /** Builds the scratch server over a scratch queue in {@code dir}, listening on loopback, port 0. */
  public interface ScratchServers {
    ScratchServer open(Path dir);
  }

  /**
   * The scratch server, not started; how to open the rehearsal of flushes from its queue (called once, after the
   * first requests: by then a first start has made the schema); and what to close once both have stopped
   * (queue, gate), in that order.
   */
  public record ScratchServer(HttpServer server, Supplier<FlushRehearsal> flushes, List<AutoCloseable> parts) {}

  /**
   * What the warm-up did, for its log line and the tests: answers, how long it took, whether the compilers were
   * quiet at the end (false: stopped at its time limit, or failed), the rows its flushes stored in temporary
   * tables, and why it did not rehearse flushes, or stopped doing so (null: it did throughout).
   */
  public record Outcome(int answered2xx, int otherAnswers, long millis, boolean quiet, String problem,
      long rowsRehearsed, String flushesMissing) {
    static Outcome failed(String problem) {
      return new Outcome(0, 0, 0, false, problem, 0, null);
    }
  }

  private StartupWarmup() {}

  /** Warms up with at least {@code requests} requests (0: does nothing) in {@code dir}, deleted before and after. */
  public static Outcome run(int requests, Path dir, ScratchServers servers) {
    // A JVM without the diagnostic command: the configured requests, then no rounds.
    return run(requests, dir, servers, CompileQueue.ofThisJvm().orElse(() -> 0), MAX_TIME);
  }

  /** The same with the JIT's queue ({@link CompileQueue}) and the time limit given: the tests' stubs. */
  static Outcome run(int requests, Path dir, ScratchServers servers, IntSupplier pendingCompiles, Duration maxTime) {
    if (requests == 0) {
      return new Outcome(0, 0, 0, true, null, 0, null);
    }
    LateClasses.load();
    LongSupplier compileMillis = CompileQuiet.jvmCompileMillis().orElse(() -> 0L);
    long compileBefore = compileMillis.getAsLong();
    long started = System.nanoTime();
    Outcome outcome;
    try {
      deleteTree(dir);
      outcome = serve(requests, dir, servers, pendingCompiles, started + maxTime.toNanos());
    } catch (RuntimeException e) {
      outcome = Outcome.failed(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Outcome.failed("interrupted");
    } finally {
      deleteQuietly(dir);
    }
    log(outcome, requests, compileMillis.getAsLong() - compileBefore, maxTime);
    return outcome;
  }

  private static Outcome serve(int requests, Path dir, ScratchServers servers, IntSupplier pendingCompiles,
      long deadline) throws InterruptedException {
    long started = System.nanoTime();
    List<byte[]> shapes = WarmupRequests.build(Instant.now());
    int connections = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    AtomicBoolean quiet = new AtomicBoolean();
    Rehearsed rehearsed = new Rehearsed();
    LoopbackLoad.Result load = onScratchServer(servers, dir, rehearsed, port -> {
      LoopbackLoad.Result rounds = LoopbackLoad.Result.NONE;
      for (int round = requests; !quiet.get() && System.nanoTime() < deadline && rounds.firstProblem() == null;
          round = ROUND) {
        rounds = rounds.plus(LoopbackLoad.run(port, shapes, round, connections, deadline));
        rehearsed.flush();
        quiet.set(pendingCompiles.getAsInt() == 0 && rehearsed.enough());
      }
      return rounds;
    });
    return new Outcome(load.answered2xx(), load.otherAnswers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), quiet.get(), load.firstProblem(),
        rehearsed.rows, rehearsed.missing);
  }

  /**
   * The flushes after each round: they compile the flush path, and the rounds after them let C2 finish it. A
   * failed one ends the rehearsal (the database went away, or refused what it needs), not the warm-up.
   */
  private static final class Rehearsed implements AutoCloseable {
    long rows;
    int flushes;
    String missing;
    private Supplier<FlushRehearsal> opener = () -> FlushRehearsal.none("no scratch server");
    private FlushRehearsal rehearsal;

    void flush() {
      try {
        if (rehearsal == null) {
          rehearsal = opener.get();
          missing = rehearsal.absence();
        }
        if (missing == null) {
          rows += rehearsal.flushAll();
          flushes++;
        }
      } catch (java.sql.SQLException | RuntimeException e) {
        missing = "a rehearsed flush failed after " + rows + " rows: " + e;
      }
    }

    /** Enough flushes were rehearsed, or none can be. */
    boolean enough() {
      return missing != null || flushes >= MIN_REHEARSED_FLUSHES;
    }

    @Override
    public void close() {
      if (rehearsal != null) {
        rehearsal.close();
      }
    }
  }

  /** A load against the scratch server's port. */
  private interface Load {
    LoopbackLoad.Result run(int port) throws InterruptedException;
  }

  /**
   * Opens and starts a scratch server in {@code dir}, runs {@code load} against it with {@code rehearsed} flushing
   * from its queue, then stops and closes them.
   */
  private static LoopbackLoad.Result onScratchServer(ScratchServers servers, Path dir, Rehearsed rehearsed,
      Load load) throws InterruptedException {
    ScratchServer scratch = servers.open(dir);
    rehearsed.opener = scratch.flushes();
    try {
      scratch.server().start();
      return load.run(scratch.server().port());
    } finally {
      scratch.server().stop(Duration.ofSeconds(1));
      List<AutoCloseable> all = new java.util.ArrayList<>();
      all.add(rehearsed); // reads the queue: closed before it
      all.addAll(scratch.parts());
      closeAll(all);
    }
  }

  private static void log(Outcome o, int requests, long compiledMillis, Duration maxTime) {
    String line = String.format("start-up warm-up: %d requests to itself answered 2xx (%d at least) in %d ms, "
        + "%d ms of it compiling; %s; %s; opening the port", o.answered2xx(), requests, o.millis(), compiledMillis,
        o.flushesMissing() == null ? o.rowsRehearsed() + " of their events flushed to temporary tables"
            : "flushes not rehearsed (" + o.flushesMissing() + ")",
        o.problem() != null ? "it failed: " + o.problem()
            : o.otherAnswers() > 0 ? o.otherAnswers() + " answers were not 2xx"
            : o.quiet() ? "the compilers are quiet"
            : "the compilers were still at work at its " + maxTime.toMillis() + " ms limit");
    if (o.problem() == null && o.otherAnswers() == 0) {
      LOG.info(line); // a limit reached is no fault: a slow machine, or code that keeps being recompiled
    } else {
      LOG.warn("{} (the first requests may be slower; jvm.warmup.requests)", line);
    }
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("start-up warm-up: closing {} failed: {}", part, e.toString());
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (UncheckedIOException e) {
      LOG.warn("start-up warm-up: its scratch directory {} is left behind: {}", dir, e.getCause().toString());
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

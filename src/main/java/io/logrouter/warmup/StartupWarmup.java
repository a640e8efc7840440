package io.logrouter.warmup;

import io.logrouter.http.HttpServer;
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
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the warm-up (see the package): opens the scratch server in a scratch directory, sends it
 * {@code jvm.warmup.requests} requests, waits for the compilers to go quiet, then stops the server and deletes the
 * directory. Never fails the start: whatever goes wrong is logged (WARN) and the router starts cold.
 *
 * <p>Why (issue 13): a router started cold and then sent 1,000 requests a second answered its first ~10 s at a p99
 * of 2.6-3.8 ms, while its code ran in the interpreter and the C1/C2 compilers took a core; from then on 0.4-0.6 ms.
 * Those seconds held more of the run's slow answers than all the others together.
 */
public final class StartupWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);
  /** The load stops here even if not every request was sent (a machine far slower than expected). */
  static final Duration MAX_LOAD_TIME = Duration.ofSeconds(30);
  /** The compilers may finish what the load queued for this long; most of it is done in 1-3 s. */
  static final Duration MAX_COMPILE_WAIT = Duration.ofSeconds(10);
  /** A shorter window than the demotion watch's: the warm-up delays the start, so it looks often. */
  static final Duration QUIET_WINDOW = Duration.ofMillis(250);

  /** Builds the scratch server over a scratch queue in {@code dir}, listening on loopback, port 0. */
  public interface ScratchServers {
    ScratchServer open(Path dir);
  }

  /** The scratch server, not started, and what to close once it has stopped (queue, gate), in that order. */
  public record ScratchServer(HttpServer server, List<AutoCloseable> parts) {}

  /** What the warm-up did, for its log line and the tests. */
  public record Outcome(int answered2xx, int otherAnswers, long loadMillis, long compileWaitMillis, String problem) {}

  private StartupWarmup() {}

  /** Warms up with {@code requests} requests (0: does nothing) in {@code dir}, which is deleted before and after. */
  public static Outcome run(int requests, Path dir, ScratchServers servers) {
    if (requests == 0) {
      return new Outcome(0, 0, 0, 0, null);
    }
    LongSupplier compileMillis = CompileQuiet.jvmCompileMillis().orElse(() -> 0L);
    long compileBefore = compileMillis.getAsLong();
    Outcome outcome;
    try {
      deleteTree(dir);
      outcome = serveAndWait(requests, dir, servers, compileMillis);
    } catch (RuntimeException e) {
      outcome = new Outcome(0, 0, 0, 0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = new Outcome(0, 0, 0, 0, "interrupted");
    } finally {
      deleteQuietly(dir);
    }
    log(outcome, requests, compileMillis.getAsLong() - compileBefore);
    return outcome;
  }

  private static Outcome serveAndWait(int requests, Path dir, ScratchServers servers, LongSupplier compileMillis)
      throws InterruptedException {
    ScratchServer scratch = servers.open(dir);
    LoopbackLoad.Result load;
    long started = System.nanoTime();
    try {
      scratch.server().start();
      int connections = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
      load = LoopbackLoad.run(scratch.server().port(), WarmupRequests.build(Instant.now()), requests, connections,
          started + MAX_LOAD_TIME.toNanos());
    } finally {
      scratch.server().stop(Duration.ofSeconds(1));
      closeAll(scratch.parts());
    }
    long loaded = System.nanoTime();
    awaitQuietCompilers(compileMillis, loaded + MAX_COMPILE_WAIT.toNanos());
    return new Outcome(load.answered2xx(), load.otherAnswers(), TimeUnit.NANOSECONDS.toMillis(loaded - started),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loaded), load.firstProblem());
  }

  /** Returns at the end of the first {@link #QUIET_WINDOW} the compilers spent mostly idle, or at the deadline. */
  static void awaitQuietCompilers(LongSupplier compileMillis, long deadlineNanos) throws InterruptedException {
    CompileQuiet quiet = new CompileQuiet(System.nanoTime(), compileMillis.getAsLong());
    do {
      Thread.sleep(QUIET_WINDOW.toMillis());
    } while (!quiet.over(System.nanoTime(), compileMillis.getAsLong()) && System.nanoTime() < deadlineNanos);
  }

  private static void log(Outcome o, int requests, long compiledMillis) {
    String line = String.format("start-up warm-up: %d of %d requests to itself answered 2xx in %d ms, then %d ms "
        + "until the JIT was quiet (%d ms of compiling in all); opening the port", o.answered2xx(), requests,
        o.loadMillis(), o.compileWaitMillis(), compiledMillis);
    if (o.problem() == null && o.otherAnswers() == 0 && o.answered2xx() == requests) {
      LOG.info(line);
    } else {
      LOG.warn("{}; the warm-up fell short ({} answers not 2xx{}): the first requests may be slower (jvm.warmup.requests)",
          line, o.otherAnswers(), o.problem() == null ? "" : ", " + o.problem());
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

package io.logrouter.threads;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Tells when the JIT's warm-up is over: a window in which the compilers spent at most {@link #QUIET_SHARE} of the
 * time compiling, so their queue had drained. Measured once a second (issue 13, session 19): a router saturated
 * from a cold start compiles 60-160 % of a core for its first ~10 s; at 1,000 req/s 10-120 % for ~10 s; warm,
 * under 4 % with bursts of 10-50 % when a new path runs (the first flush). Used by {@link CompilerThreads} and by
 * the start-up warm-up ({@code io.logrouter.warmup}).
 */
public final class CompileQuiet {
  public static final Duration WINDOW = Duration.ofSeconds(1);
  public static final double QUIET_SHARE = 0.05;
  private long lastNanos;
  private long lastCompileMillis;

  /** Starts the first window at {@code nowNanos}, with the JVM's total compile time then. */
  public CompileQuiet(long nowNanos, long compileMillis) {
    lastNanos = nowNanos;
    lastCompileMillis = compileMillis;
  }

  /** The JVM's total compile time in ms, where this JVM reports it. */
  public static Optional<LongSupplier> jvmCompileMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return Optional.empty();
    }
    return Optional.of(jit::getTotalCompilationTime);
  }

  /** Called at the end of each window with the clock and the total compile time: true once warm-up is over. */
  public boolean over(long nowNanos, long compileMillis) {
    double compiledShare = (compileMillis - lastCompileMillis) * 1e6 / Math.max(1, nowNanos - lastNanos);
    lastNanos = nowNanos;
    lastCompileMillis = compileMillis;
    return compiledShare <= QUIET_SHARE;
  }
}

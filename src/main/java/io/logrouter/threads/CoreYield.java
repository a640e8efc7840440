package io.logrouter.threads;

import java.util.function.LongSupplier;

/**
 * Gives the core up ({@link Thread#yield}, Linux {@code sched_yield}) after every {@link #SLICE_NANOS} of a bulk
 * loop's work, so that a request thread woken on the same core waits about that long behind it at most.
 *
 * <p>Why: Linux's fair scheduler (EEVDF, kernel 6.6 and later) lets a running thread finish its slice, about
 * 3 ms here, before a thread it wakes gets that core. A flush encodes its rows for LOAD DATA in such runs, and a
 * kernel trace showed requests waiting up to 2.4 ms behind it (BENCHMARKS.md, issue 13, session 20). When no
 * other thread waits for the core, a yield returns at once: it costs a system call every 0.25 ms of work.
 *
 * <p>One instance per loop, used by one thread. Clock and yield are injectable, so tests run it on stubs.
 */
public final class CoreYield {
  /** Work between yields: under the wait a request should see behind a flush, over a yield's own cost. */
  static final long SLICE_NANOS = 250_000;
  /** Ticks between clock reads: a row costs well under a microsecond, a clock read tens of nanoseconds. */
  static final int TICKS_PER_LOOK = 64;

  private final LongSupplier clock;
  private final Runnable yield;
  private long sliceStart;
  private int ticks;

  /** On a given clock and yield: {@link #onThisThread} in the router, stubs in tests. */
  public CoreYield(LongSupplier clock, Runnable yield) {
    this.clock = clock;
    this.yield = yield;
    this.sliceStart = clock.getAsLong();
  }

  /** For a loop on the calling thread. */
  public static CoreYield onThisThread() {
    return new CoreYield(System::nanoTime, Thread::yield);
  }

  /** A new slice starts: the loop was off the core (a blocking write) since its last tick. */
  public void restart() {
    sliceStart = clock.getAsLong();
    ticks = 0;
  }

  /** One unit of the loop's work is done (a row): yields once the slice is used up. */
  public void tick() {
    if (++ticks < TICKS_PER_LOOK) {
      return;
    }
    ticks = 0;
    if (clock.getAsLong() - sliceStart >= SLICE_NANOS) {
      yield.run();
      sliceStart = clock.getAsLong();
    }
  }
}

package io.logrouter.buffer;

import java.util.function.LongSupplier;
import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The clock of a queue: the wall clock, moved one roll cycle ahead for every {@code stepMillis} that passed since
 * it was made, so that a queue on it moves to a new cycle file that often whatever its roll cycle (the start-up
 * warm-up's scratch queue); or never moved ({@link #wall}), the router's queue.
 *
 * <p>Why both are this one class, and the router's queue does not use Chronicle's SystemTimeProvider: the JIT
 * compiles Chronicle's call of the clock for the class it saw. Compiled while the warm-up's scratch queue ran on
 * one class, it was thrown away at the first real append on another (seen in the JIT log: {@code class_check} in
 * {@code RollCycle.current}). One class, one path, no branch: the never-moved clock divides by
 * {@link Long#MAX_VALUE}, which costs less than a call of the clock.
 */
final class QueueClock implements TimeProvider {
  /** The one wall clock of every queue: one lambda class for the JIT to see. */
  private static final LongSupplier WALL = System::currentTimeMillis;
  private final long cycleMillis;
  private final long stepMillis;
  private final LongSupplier wallMillis;
  private final long startMillis;

  QueueClock(long cycleMillis, long stepMillis, LongSupplier wallMillis) {
    if (stepMillis <= 0) {
      throw new IllegalArgumentException("a step must be positive: " + stepMillis);
    }
    this.cycleMillis = cycleMillis;
    this.stepMillis = stepMillis;
    this.wallMillis = wallMillis;
    this.startMillis = wallMillis.getAsLong();
  }

  /** The wall clock, never moved. */
  static QueueClock wall() {
    return new QueueClock(0, Long.MAX_VALUE, WALL);
  }

  /** The wall clock, moved one cycle of {@code cycleMillis} ahead every {@code stepMillis}. */
  static QueueClock skippingCycles(long cycleMillis, long stepMillis) {
    return new QueueClock(cycleMillis, stepMillis, WALL);
  }

  @Override
  public long currentTimeMillis() {
    long now = wallMillis.getAsLong();
    return now + (now - startMillis) / stepMillis * cycleMillis;
  }
}

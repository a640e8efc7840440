package io.logrouter.flush;

import java.time.Duration;

/**
 * When a flush is due: {@code flush.max.bytes} of events waiting, or {@code flush.interval} since
 * the last flush with at least one event waiting. Pure: time comes in as arguments, so the rule is
 * tested without sleeping.
 */
public final class FlushPolicy {
  private final long maxBytes;
  private final long intervalNanos;

  public FlushPolicy(long maxBytes, Duration interval) {
    this.maxBytes = maxBytes;
    this.intervalNanos = interval.toNanos();
  }

  public long maxBytes() {
    return maxBytes;
  }

  public boolean sizeReached(long batchBytes) {
    return batchBytes >= maxBytes;
  }

  /** How long until {@code flush.interval} has passed since the last flush (0 when it has). */
  public long nanosUntilInterval(long nowNanos, long lastFlushNanos) {
    return Math.max(0, lastFlushNanos + intervalNanos - nowNanos);
  }

  /**
   * A look at the queue that took in less than 1/256 of {@code flush.max.bytes}: documents trickle in (1,000
   * single events a second put ~8 KB into a 32 ms look, 1/1,280 of 10 MB), so looking less often (up to 32 ms
   * apart) delays no size-triggered flush by more than that and spares the CPU the looks: the request path
   * shares it.
   */
  public boolean trickle(long bytesTakenIn) {
    return bytesTakenIn < maxBytes / 256;
  }

  public boolean due(long batchBytes, int batchEvents, long nowNanos, long lastFlushNanos) {
    if (batchEvents == 0) {
      return false;
    }
    return sizeReached(batchBytes) || nowNanos - lastFlushNanos >= intervalNanos;
  }
}

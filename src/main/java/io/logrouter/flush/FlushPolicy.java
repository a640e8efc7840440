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

  public boolean due(long batchBytes, int batchEvents, long nowNanos, long lastFlushNanos) {
    if (batchEvents == 0) {
      return false;
    }
    return sizeReached(batchBytes) || nowNanos - lastFlushNanos >= intervalNanos;
  }
}

package io.logrouter.client.send;

import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential back-off with full jitter; a server's Retry-After wins (capped too). */
public final class Backoff {
  private final long initialMs;
  private final long maxMs;

  public Backoff(long initialMs, long maxMs) {
    this.initialMs = initialMs;
    this.maxMs = Math.max(initialMs, maxMs);
  }

  /** Delay before attempt {@code attempt + 1} (attempt counts from 0). */
  public long delayMs(int attempt, long retryAfterMs) {
    if (retryAfterMs >= 0) {
      return Math.min(retryAfterMs, maxMs);
    }
    long ceiling = initialMs << Math.min(attempt, 20);
    ceiling = Math.min(ceiling <= 0 ? maxMs : ceiling, maxMs);
    // Full jitter, but never below half the ceiling: clients that failed together spread out
    // without one of them hammering at ~0 ms.
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }
}

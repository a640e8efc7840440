package io.logrouter.flush;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Guards MySQL from a flusher that would otherwise retry in a tight loop. CLOSED: flushes run.
 * After {@link #FAILURES_TO_OPEN} consecutive failures it OPENs and waits a back-off (exponential,
 * full jitter, capped); then HALF_OPEN lets one probe flush through: success closes it, failure
 * opens it again with a longer back-off. Time and randomness are injected, so it is tested without
 * sleeping. Thread ownership: the flusher thread mutates it; {@link #state()} is readable anywhere.
 */
public final class CircuitBreaker {
  /** One failure can be a blip (a pool connection the server closed); three in a row is an outage. */
  static final int FAILURES_TO_OPEN = 3;

  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private volatile State state = State.CLOSED;
  private int consecutiveFailures;
  private long retryAtNanos;

  public CircuitBreaker(Duration initial, Duration max, DoubleSupplier random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  public State state() {
    return state;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** @return how long to wait before the next attempt may run (0 = now) */
  public long waitNanos(long nowNanos) {
    if (state == State.CLOSED && consecutiveFailures == 0) {
      return 0;
    }
    long wait = retryAtNanos - nowNanos;
    if (wait <= 0 && state == State.OPEN) {
      state = State.HALF_OPEN;
    }
    return Math.max(0, wait);
  }

  /** Lets the next attempt run now (an explicit flush request), as a half-open probe. */
  public void probeNow() {
    retryAtNanos = Long.MIN_VALUE / 2;
    if (state == State.OPEN) {
      state = State.HALF_OPEN;
    }
  }

  public void onSuccess() {
    consecutiveFailures = 0;
    state = State.CLOSED;
  }

  /** Records a failed attempt and schedules the next one. */
  public void onFailure(long nowNanos) {
    consecutiveFailures++;
    if (consecutiveFailures >= FAILURES_TO_OPEN || state == State.HALF_OPEN) {
      state = State.OPEN;
    }
    retryAtNanos = nowNanos + backoffNanos(consecutiveFailures);
  }

  /** Full jitter: uniform in [0, min(max, initial * 2^(failures-1))]. */
  long backoffNanos(int failures) {
    int doublings = Math.min(failures - 1, 40);
    long ceiling = initialNanos << Math.min(doublings, Long.numberOfLeadingZeros(initialNanos) - 1);
    ceiling = Math.min(maxNanos, Math.max(initialNanos, ceiling));
    return (long) (random.getAsDouble() * ceiling);
  }
}

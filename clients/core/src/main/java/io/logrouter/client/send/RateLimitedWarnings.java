package io.logrouter.client.send;

import io.logrouter.client.StatusSink;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * At most one warning per kind per interval on the logging system's status channel, saying how
 * many of the same kind were held back: an outage must not flood the console. Lock-free, so a
 * logging thread dropping events (one {@link Kind#due()} check per drop) never waits for another.
 */
public final class RateLimitedWarnings {
  private final StatusSink sink;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();
  private final AtomicLong written = new AtomicLong();

  public RateLimitedWarnings(StatusSink sink, long intervalMs) {
    this.sink = sink;
    this.intervalNanos = intervalMs * 1_000_000L;
  }

  /** The kind's handle, for a caller on a hot path that looks it up once. */
  public Kind kind(String name) {
    return kinds.computeIfAbsent(name, k -> new Kind());
  }

  /** Writes the warning unless one of the same kind was written less than an interval ago. */
  public void warn(String kind, String message, Throwable error) {
    Kind k = kind(kind);
    if (k.due()) {
      k.write(message, error);
    }
  }

  /** Warnings actually written (for tests). */
  public long written() {
    return written.get();
  }

  /** One kind of warning: when the next may be written, and how many were held back since the last. */
  public final class Kind {
    private final AtomicLong nextDueNanos = new AtomicLong(System.nanoTime());
    private final LongAdder heldBack = new LongAdder();

    private Kind() {
    }

    /**
     * True for the one caller that should {@link #write} now; every other caller in the interval
     * is counted as held back. Costs a clock read and, when due, one compare-and-set.
     */
    public boolean due() {
      if (dueUncounted()) {
        return true;
      }
      heldBack.increment();
      return false;
    }

    /**
     * As {@link #due()}, without counting the caller as held back: for a caller that looks only
     * now and then and whose message carries its own count (the drops of a full buffer).
     */
    public boolean dueUncounted() {
      long now = System.nanoTime();
      long next = nextDueNanos.get();
      return now - next >= 0 && nextDueNanos.compareAndSet(next, now + intervalNanos);
    }

    /** Writes the warning (after {@link #due()} said so), with the count held back before it. */
    public void write(String message, Throwable error) {
      long suppressed = heldBack.sumThenReset();
      written.incrementAndGet();
      try {
        sink.warn("log-router client: " + message
            + (suppressed > 0 ? " (" + suppressed + " similar warnings held back)" : ""), error);
      } catch (RuntimeException ignored) {
        // a broken status channel must not break the sender
      }
    }
  }
}

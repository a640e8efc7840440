package io.logrouter.client.send;

import io.logrouter.client.StatusSink;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one warning per kind per interval on the logging system's status channel, saying how
 * many of the same kind were held back: an outage must not flood the console.
 */
public final class RateLimitedWarnings {
  private final StatusSink sink;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, long[]> state = new ConcurrentHashMap<>(); // {lastNanos, suppressed}
  private final AtomicLong written = new AtomicLong();

  public RateLimitedWarnings(StatusSink sink, long intervalMs) {
    this.sink = sink;
    this.intervalNanos = intervalMs * 1_000_000L;
  }

  public void warn(String kind, String message, Throwable error) {
    long now = System.nanoTime();
    long[] s = state.computeIfAbsent(kind, k -> new long[] {now - intervalNanos - 1, 0});
    long suppressed;
    synchronized (s) {
      if (now - s[0] < intervalNanos) {
        s[1]++;
        return;
      }
      s[0] = now;
      suppressed = s[1];
      s[1] = 0;
    }
    written.incrementAndGet();
    try {
      sink.warn("log-router client: " + message
          + (suppressed > 0 ? " (" + suppressed + " similar warnings held back)" : ""), error);
    } catch (RuntimeException ignored) {
      // a broken status channel must not break the sender
    }
  }

  /** Warnings actually written (for tests). */
  public long written() {
    return written.get();
  }
}

package io.logrouter.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per client, as GCRA (generic cell rate algorithm): each bucket is one
 * {@link AtomicLong} holding its "theoretical arrival time", updated by CAS, so admitting a request
 * is a map lookup plus one CAS: no lock, no allocation once the client is known.
 *
 * <p>Memory is bounded: at most {@code maxClients} buckets; clients beyond that share one overflow
 * bucket (a flood of addresses throttles itself, known clients keep their own rate). Buckets that
 * have refilled completely carry no state worth keeping and are removed by {@link #sweep()}.
 */
final class RateLimiter {
  private final long intervalNanos;
  private final long toleranceNanos;
  private final int maxClients;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<Object, AtomicLong> buckets = new ConcurrentHashMap<>();
  private final AtomicLong overflow = new AtomicLong(Long.MIN_VALUE);

  /**
   * @param perSecond steady requests per second per client (> 0)
   * @param burst requests a client may send at once; 0 means {@code perSecond}
   */
  RateLimiter(int perSecond, int burst, int maxClients, LongSupplier nanoClock) {
    this.intervalNanos = 1_000_000_000L / perSecond;
    this.toleranceNanos = (burst == 0 ? perSecond : burst) * intervalNanos;
    this.maxClients = maxClients;
    this.nanoClock = nanoClock;
  }

  /** @return 0 when {@code client} may go ahead (and it is counted), else nanoseconds to wait */
  long acquire(Object client) {
    AtomicLong bucket = buckets.get(client);
    if (bucket == null) {
      bucket = register(client);
    }
    long now = nanoClock.getAsLong();
    while (true) {
      long tat = bucket.get();
      long next = Math.max(tat, now) + intervalNanos;
      long ahead = next - now;
      if (ahead > toleranceNanos) {
        return ahead - toleranceNanos;
      }
      if (bucket.compareAndSet(tat, next)) {
        return 0;
      }
    }
  }

  /** Forgets every client whose bucket is full again (it would behave exactly like a new one). */
  void sweep() {
    long now = nanoClock.getAsLong();
    buckets.values().removeIf(b -> b.get() <= now);
  }

  int trackedClients() {
    return buckets.size();
  }

  private AtomicLong register(Object client) {
    if (buckets.size() >= maxClients) {
      return overflow;
    }
    // Long.MIN_VALUE: "never seen", i.e. a full bucket; the lambda captures nothing (no allocation).
    return buckets.computeIfAbsent(client, c -> new AtomicLong(Long.MIN_VALUE));
  }
}

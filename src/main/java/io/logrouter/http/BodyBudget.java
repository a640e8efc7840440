package io.logrouter.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies being received may hold at once (http.max.inflight.body.bytes).
 * A body reserves its buffer as it grows and releases it when parsed or dropped; a reservation that
 * would pass the bound fails and the request is answered 503. One CAS per buffer growth, no lock:
 * without it, a few hundred clients each trickling a large body could fill the heap (issue 15).
 */
final class BodyBudget {
  private final long maxBytes;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The default bound: a quarter of the heap the JVM may grow to. */
  static long defaultFor(Runtime runtime) {
    return runtime.maxMemory() / 4;
  }

  /** @return true when {@code bytes} more fit; they are then held until {@link #release} */
  boolean tryReserve(long bytes) {
    long current;
    do {
      current = used.get();
      if (current + bytes > maxBytes) {
        return false;
      }
    } while (!used.compareAndSet(current, current + bytes));
    return true;
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** True when no new body should be started: the bound is reached. */
  boolean exhausted() {
    return used.get() >= maxBytes;
  }

  long usedBytes() {
    return used.get();
  }

  long maxBytes() {
    return maxBytes;
  }
}

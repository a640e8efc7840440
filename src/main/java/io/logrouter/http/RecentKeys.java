package io.logrouter.http;

import io.logrouter.receive.Reply;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The fast answer to a retried request: Idempotency-Keys this router acknowledged lately, with the
 * answer it gave, so a retry gets the same 2xx at once and appends nothing. It only saves work: the
 * guarantee is the flusher's (a key is claimed in MySQL with the rows it admits), which also covers
 * retries after a restart, retries to another router, and keys this filter has forgotten.
 *
 * <p>Bounded: the oldest keys are forgotten first past {@code maxKeys}. Lock-free (a concurrent map and
 * queue); only requests that carry the header touch it.
 */
final class RecentKeys {
  private record Entry(Reply reply, long expiresAtMillis) {}

  private final ConcurrentHashMap<String, Entry> answers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int maxKeys;
  private final long windowMillis;
  private final LongSupplier clockMillis;

  RecentKeys(int maxKeys, long windowMillis, LongSupplier clockMillis) {
    this.maxKeys = maxKeys;
    this.windowMillis = windowMillis;
    this.clockMillis = clockMillis;
  }

  /** @return the answer given to {@code key} within the window, or null */
  Reply answered(String key) {
    Entry e = answers.get(key);
    return e == null || e.expiresAtMillis < clockMillis.getAsLong() ? null : e.reply;
  }

  void remember(String key, Reply reply) {
    if (answers.put(key, new Entry(reply, clockMillis.getAsLong() + windowMillis)) != null) {
      return;
    }
    order.add(key);
    if (size.incrementAndGet() > maxKeys) {
      String oldest = order.poll();
      if (oldest != null) {
        answers.remove(oldest);
        size.decrementAndGet();
      }
    }
  }
}

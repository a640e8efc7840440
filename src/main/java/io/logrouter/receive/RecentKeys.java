package io.logrouter.receive;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The fast answer to a retried request or event: keys this router accepted lately (a request's
 * Idempotency-Key with the answer it gave; an Elasticsearch action's {@code _id}), so a retry is
 * answered at once and appends nothing. It only saves work: the guarantee is the flusher's (a key is
 * claimed in MySQL with the rows it admits), which also covers retries after a restart, retries to
 * another router, keys this filter has forgotten, and two requests with one key racing here.
 *
 * <p>Bounded: the oldest keys are forgotten first past {@code maxKeys}. Lock-free (a concurrent map and
 * queue); only requests that carry a key touch it.
 *
 * @param <V> what is remembered with a key: the answer given, or just that it was seen
 */
public final class RecentKeys<V> {
  private record Entry<V>(V value, long expiresAtMillis) {}

  private final ConcurrentHashMap<String, Entry<V>> answers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int maxKeys;
  private final long windowMillis;
  private final LongSupplier clockMillis;

  public RecentKeys(int maxKeys, long windowMillis, LongSupplier clockMillis) {
    this.maxKeys = maxKeys;
    this.windowMillis = windowMillis;
    this.clockMillis = clockMillis;
  }

  /** @return what was remembered with {@code key} within the window, or null */
  public V answered(String key) {
    Entry<V> e = answers.get(key);
    return e == null || e.expiresAtMillis < clockMillis.getAsLong() ? null : e.value;
  }

  public void remember(String key, V value) {
    if (answers.put(key, new Entry<>(value, clockMillis.getAsLong() + windowMillis)) != null) {
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

package io.logrouter.client;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Captured events between the application threads and the sender, bounded in bytes (each event
 * counts for its {@link Event#estimatedBytes()}). Lock-free: an offer is one atomic add on the byte
 * count and one CAS-linked node, so no logging thread ever waits for another or for the sender.
 */
public final class EventBuffer {
  private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();
  private final long capacity;

  public EventBuffer(long capacity) {
    this.capacity = capacity;
  }

  /** Adds the event unless that would pass the byte bound; never waits. */
  public boolean offer(Event event) {
    int n = event.estimatedBytes;
    if (bytes.addAndGet(n) > capacity) {
      bytes.addAndGet(-n);
      return false;
    }
    queue.offer(event);
    return true;
  }

  /** The oldest event, or null. Only sender threads call this. */
  public Event poll() {
    Event e = queue.poll();
    if (e != null) {
      bytes.addAndGet(-e.estimatedBytes);
    }
    return e;
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }

  public long bytes() {
    return bytes.get();
  }
}

package io.logrouter.client;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Captured events between the application threads and the sender, bounded in bytes (each event
 * counts for its {@link Event#estimatedBytes()}). Lock-free: an offer is one atomic add on the byte
 * count and one CAS-linked node, so no logging thread ever waits for another or for the sender.
 *
 * <p>With overflow=block a logging thread that finds no room {@link #offer(Event, long) waits}
 * parked, and the sender wakes it when it has freed room ({@link #poll()} once {@code wakeRoom}
 * bytes are free, {@link #signalRoom()} after taking a batch): no polling, and the producer runs
 * again in a burst rather than one event per wake-up.
 */
public final class EventBuffer {
  /** Room freed before waiting producers are woken: enough for a burst of events per wake-up. */
  private static final long MAX_WAKE_ROOM = 1 << 20;

  private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();
  private final long capacity;
  private final long wakeRoom;
  private volatile boolean released;

  public EventBuffer(long capacity) {
    this.capacity = capacity;
    this.wakeRoom = Math.max(1, Math.min(capacity / 8, MAX_WAKE_ROOM));
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

  /**
   * Adds the event, waiting up to {@code maxWaitNanos} for room; false when it did not fit in time
   * or {@link #releaseWaiters()} was called.
   */
  public boolean offer(Event event, long maxWaitNanos) {
    long deadline = System.nanoTime() + maxWaitNanos;
    Thread me = Thread.currentThread();
    waiters.add(me); // before looking again: room freed from here on unparks us
    try {
      while (!released) {
        if (offer(event)) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, left);
      }
      return false;
    } finally {
      waiters.remove(me);
    }
  }

  /** The oldest event, or null. Only sender threads call this. */
  public Event poll() {
    Event e = queue.poll();
    if (e != null) {
      long left = bytes.addAndGet(-e.estimatedBytes);
      if (capacity - left >= wakeRoom && !waiters.isEmpty()) {
        wakeWaiters();
      }
    }
    return e;
  }

  /** The sender took what it could for now: whoever waits tries again with the room there is. */
  public void signalRoom() {
    if (!waiters.isEmpty()) {
      wakeWaiters();
    }
  }

  /** Stop: waiting producers give up at once, and no one waits any more. */
  public void releaseWaiters() {
    released = true;
    wakeWaiters();
  }

  private void wakeWaiters() {
    for (Thread t : waiters) {
      LockSupport.unpark(t);
    }
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }

  public long bytes() {
    return bytes.get();
  }
}

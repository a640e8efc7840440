package io.logrouter.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Captured events between the application threads and the sender, bounded in bytes (each event
 * counts for its {@link Event#estimatedBytes()}). Lock-free: an offer is one atomic add on the byte
 * count and one atomic swap of the tail, so no logging thread ever waits for another or for the
 * sender.
 *
 * <p>The queue is intrusive and multi-producer, single-consumer (after D. Vyukov's MPSC queue):
 * an event links to the next through its own {@code next} field, so an offer allocates nothing
 * and a producer never retries (a swap, not a compare-and-set loop). One consumer at a time: the
 * sender polls under its assembling lock. The consumer gives the bytes it took back to the shared
 * count in chunks, not per event, so the count's cache line does not travel between the logging
 * core and the sender's core on every event; {@link #bytes()} therefore includes up to one chunk
 * of events already taken into the batch being assembled (still in memory, so still counted).
 *
 * <p>With overflow=block a logging thread that finds no room {@link #offer(Event, long) waits}
 * parked, and the sender wakes it when it has freed room ({@link #poll()} once {@code wakeRoom}
 * bytes are free, {@link #signalRoom()} after taking a batch): no polling, and the producer runs
 * again in a burst rather than one event per wake-up.
 */
public final class EventBuffer {
  /** Room freed before waiting producers are woken: enough for a burst of events per wake-up. */
  private static final long MAX_WAKE_ROOM = 1 << 20;
  /** Taken bytes given back to the shared count at once (fewer writes to a line producers use). */
  private static final long MAX_RELEASE_CHUNK = 16 << 10;
  private static final VarHandle NEXT;
  private static final VarHandle TAIL;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      NEXT = lookup.findVarHandle(Event.class, "next", Event.class);
      TAIL = lookup.findVarHandle(EventBuffer.class, "tail", Event.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();
  private final long capacity;
  private final long wakeRoom;
  private final long releaseChunk;
  /** The newest event; producers swap themselves in. */
  @SuppressWarnings("unused") // through TAIL
  private volatile Event tail;
  /** The last event taken (at first a placeholder): its {@code next} is the oldest queued. Written by the consumer. */
  private volatile Event head;
  /** Bytes of events taken and not yet given back to {@link #bytes}; the consumer's own. */
  private long taken;
  private volatile boolean released;
  /** An offer found no room and the sender has given none back since (see {@link #full()}). */
  private volatile boolean full;

  public EventBuffer(long capacity) {
    this.capacity = capacity;
    this.wakeRoom = Math.max(1, Math.min(capacity / 8, MAX_WAKE_ROOM));
    this.releaseChunk = Math.min(wakeRoom, MAX_RELEASE_CHUNK);
    Event placeholder = Event.placeholder();
    this.head = placeholder;
    this.tail = placeholder;
  }

  /** Adds the event unless that would pass the byte bound; never waits. */
  public boolean offer(Event event) {
    int n = event.estimatedBytes;
    if (bytes.addAndGet(n) > capacity) {
      bytes.addAndGet(-n);
      if (!full) {
        full = true;
      }
      return false;
    }
    Event previous = (Event) TAIL.getAndSet(this, event);
    NEXT.setRelease(previous, event); // until this store the consumer sees the queue end at previous
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

  /**
   * The oldest event, or null (also for an instant while a producer is between its swap and its
   * link). One consumer at a time: the sender calls this under its assembling lock.
   */
  public Event poll() {
    Event h = head;
    Event next = (Event) NEXT.getAcquire(h);
    if (next == null) {
      return null;
    }
    head = next; // next is now the placeholder; h leaves the queue
    NEXT.set(h, null); // an old event must not keep a young one reachable
    taken += next.estimatedBytes;
    if (taken >= releaseChunk) {
      releaseTaken();
    }
    return next;
  }

  /** The sender took what it could for now: whoever waits tries again with the room there is. */
  public void signalRoom() {
    releaseTaken();
    if (full) {
      full = false; // also when a refused offer marked it just after the last release: room is there
    }
    if (!waiters.isEmpty()) {
      wakeWaiters();
    }
  }

  private void releaseTaken() {
    if (taken == 0) {
      return;
    }
    long left = bytes.addAndGet(-taken);
    taken = 0;
    if (full) {
      full = false;
    }
    if (capacity - left >= wakeRoom && !waiters.isEmpty()) {
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

  /**
   * True from an offer that found no room until the sender gives room back: an event logged
   * meanwhile can be dropped before it is even captured. (It might have fitted in what the
   * refused one left, at most one event's size: dropping it too costs nothing worth that capture.)
   */
  public boolean full() {
    return full;
  }

  /** True when nothing is queued; safe from any thread. */
  public boolean isEmpty() {
    Event h = head; // read before tail: tail only moves on, so equal means empty when tail was read
    return h == tail;
  }

  /** Bytes counted against the bound: queued events plus up to one release chunk being batched. */
  public long bytes() {
    return bytes.get();
  }
}

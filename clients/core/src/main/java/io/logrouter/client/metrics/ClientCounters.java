package io.logrouter.client.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the client did, for JMX, Micrometer and tests. Counters the application threads touch are
 * LongAdders (no shared cache line per logging call); the sender's own are plain atomics.
 */
public final class ClientCounters {
  /** Why an event was dropped; each reason is its own counter and Micrometer tag. */
  public enum DropReason {
    BUFFER_FULL("buffer_full"), BLOCK_TIMEOUT("block_timeout"), REJECTED("rejected"), SPILL_FULL("spill_full"),
    SHUTDOWN("shutdown"), ENCODING("encoding");

    private final String tag;

    DropReason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final LongAdder[] dropped = new LongAdder[DropReason.values().length];
  private final AtomicLong sentEvents = new AtomicLong();
  private final AtomicLong sentBatches = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failovers = new AtomicLong();
  private final AtomicLong spilledEvents = new AtomicLong();
  private final AtomicLong replayedEvents = new AtomicLong();

  public ClientCounters() {
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = new LongAdder();
    }
  }

  public void dropped(DropReason reason, long events) {
    dropped[reason.ordinal()].add(events);
  }

  public long dropped(DropReason reason) {
    return dropped[reason.ordinal()].sum();
  }

  public long droppedTotal() {
    long sum = 0;
    for (LongAdder a : dropped) {
      sum += a.sum();
    }
    return sum;
  }

  public void sent(int events) {
    sentEvents.addAndGet(events);
    sentBatches.incrementAndGet();
  }

  public long sentEvents() {
    return sentEvents.get();
  }

  public long sentBatches() {
    return sentBatches.get();
  }

  public void retried() {
    retries.incrementAndGet();
  }

  public long retries() {
    return retries.get();
  }

  public void failedOver() {
    failovers.incrementAndGet();
  }

  public long failovers() {
    return failovers.get();
  }

  public void spilled(int events) {
    spilledEvents.addAndGet(events);
  }

  public long spilledEvents() {
    return spilledEvents.get();
  }

  public void replayed(int events) {
    replayedEvents.addAndGet(events);
  }

  public long replayedEvents() {
    return replayedEvents.get();
  }
}

package io.logrouter.client.send;

import io.logrouter.client.Event;
import io.logrouter.client.EventBuffer;
import io.logrouter.client.EventWriter;
import io.logrouter.client.metrics.ClientCounters;
import io.logrouter.client.metrics.ClientCounters.DropReason;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the client's {@code maxInFlight} sender threads each run: take captured events from the
 * buffer, encode them (NDJSON, then gzip), batch them by count, bytes and linger time, and deliver
 * each batch (retry with the same key, failover, spill). One thread at a time assembles a batch
 * (so batches fill up as with one thread); the others meanwhile wait on their own request, so up
 * to {@code maxInFlight} requests are in flight. Batches may therefore land out of order; with
 * {@code maxInFlight=1} they land in order. Stopping drains the buffer within the shutdown deadline.
 */
public final class Sender implements Runnable {
  /** Sleep while a batch lingers: short enough to keep linger precise, long enough to be idle. */
  private static final long LINGER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final EventBuffer buffer;
  private final ClientCounters counters;
  private final RouterPool pool;
  private final HttpTransport transport;
  private final SpillStore spill;
  private final RateLimitedWarnings warnings;
  private final Backoff backoff;
  private final int maxEvents;
  private final int maxBytes;
  private final long lingerNanos;
  private final int requestTimeoutMs;
  private final long spillAfterNanos;
  /** One thread assembles at a time: full batches, and events taken in order. */
  private final ReentrantLock assembling = new ReentrantLock();
  /** One thread replays the spill at a time, oldest file first; guards nextReplayAt, replayAttempt. */
  private final ReentrantLock replaying = new ReentrantLock();

  private volatile boolean stopping;
  private volatile long stopDeadline;
  private long outageSince = Long.MIN_VALUE; // nanoTime of the first failure of the current outage; guarded by this
  private long nextReplayAt;
  private int replayAttempt;

  private Sender(Builder b) {
    this.buffer = b.buffer;
    this.counters = b.counters;
    this.pool = b.pool;
    this.transport = b.transport;
    this.spill = b.spill;
    this.warnings = b.warnings;
    this.backoff = b.backoff;
    this.maxEvents = b.maxEvents;
    this.maxBytes = b.maxBytes;
    this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(b.lingerMs);
    this.requestTimeoutMs = b.requestTimeoutMs;
    this.spillAfterNanos = TimeUnit.MILLISECONDS.toNanos(b.spillAfterMs);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Asks the thread to drain and finish by {@code deadlineNanos} (a System.nanoTime value). */
  public void stop(long deadlineNanos) {
    stopDeadline = deadlineNanos;
    stopping = true;
  }

  @Override
  public void run() {
    EventWriter writer = new EventWriter(); // this thread's encoding buffer
    while (!Thread.currentThread().isInterrupted()) {
      if (stopping && buffer.isEmpty() && (!spill.hasPending() || pastDeadline())) {
        return;
      }
      if (spill.hasPending()) {
        if (replaying.tryLock()) {
          try {
            replayOldest();
          } finally {
            replaying.unlock();
          }
        }
        spillNewEvents(writer); // while older batches wait on disk, newer ones queue behind them there
        continue;
      }
      Batch batch = nextBatch(writer);
      if (batch != null) {
        deliver(batch);
      }
    }
  }

  /** Assembles under the lock, then gzips outside it (another thread may assemble meanwhile). */
  private Batch nextBatch(EventWriter writer) {
    int events;
    try {
      assembling.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    try {
      events = assemble(writer);
    } finally {
      assembling.unlock();
    }
    return events == 0 ? null : Batch.of(writer.buffer(), writer.size(), events);
  }

  /**
   * Encodes up to maxEvents / maxBytes of NDJSON, waiting at most lingerMs after the first event.
   * An event that cannot be encoded is dropped and counted, the rest of the batch goes on.
   */
  private int assemble(EventWriter writer) {
    writer.reset();
    int events = 0;
    long lingerEnd = 0;
    while (true) {
      Event e = buffer.poll();
      if (e != null) {
        if (events == 0) {
          lingerEnd = System.nanoTime() + lingerNanos;
        }
        if (encode(writer, e)) {
          events++;
        }
        if (events >= maxEvents || writer.size() >= maxBytes) {
          break;
        }
        continue;
      }
      buffer.signalRoom(); // nothing more to take now: a blocked producer can use what was freed
      if (events == 0) {
        if (!stopping) {
          LockSupport.parkNanos(IDLE_POLL_NANOS);
        }
        return 0;
      }
      long left = lingerEnd - System.nanoTime();
      if (stopping || left <= 0) {
        break;
      }
      LockSupport.parkNanos(Math.min(left, LINGER_POLL_NANOS));
    }
    buffer.signalRoom();
    return events;
  }

  /**
   * Empties the buffer after the stop deadline (the buffer has one consumer at a time: this takes
   * the assembling lock like the sender threads); returns how many events were left.
   */
  public long discardBuffered() {
    assembling.lock();
    try {
      long left = 0;
      while (buffer.poll() != null) {
        left++;
      }
      buffer.signalRoom();
      return left;
    } finally {
      assembling.unlock();
    }
  }

  private boolean encode(EventWriter writer, Event e) {
    try {
      writer.write(e);
      return true;
    } catch (RuntimeException failure) {
      counters.dropped(DropReason.ENCODING, 1);
      warnings.warn("drop-encoding", "could not encode an event (dropped)", failure);
      return false;
    }
  }

  /** Sends until a router accepts or refuses it for good, or it is spilled or dropped. */
  private void deliver(Batch batch) {
    int attempt = 0;
    while (true) {
      if (stopping && pastDeadline()) {
        spillOrDrop(batch); // out of time: a local file at most, no more network waits
        return;
      }
      URI url = pool.current();
      Outcome o = transport.post(url, batch, readTimeout());
      if (o.kind() == Outcome.Kind.SENT) {
        counters.sent(batch.events());
        recovered();
        return;
      }
      if (o.kind() == Outcome.Kind.REJECTED) {
        rejected(batch, url, o);
        return;
      }
      counters.retried();
      boolean fullRound = failed(url, o);
      if (spill.enabled() && outageLongerThan(spillAfterNanos)) {
        spillOrDrop(batch);
        return;
      }
      if (fullRound) {
        sleepMs(backoff.delayMs(attempt++, o.retryAfterMs()));
      }
    }
  }

  private void replayOldest() {
    if (System.nanoTime() - nextReplayAt < 0) {
      return;
    }
    Batch old = spill.oldest();
    if (old == null) {
      return;
    }
    URI url = pool.current();
    Outcome o = transport.post(url, old, readTimeout());
    if (o.kind() == Outcome.Kind.SENT) {
      spill.removeOldest();
      counters.sent(old.events());
      counters.replayed(old.events());
      recovered();
      replayAttempt = 0;
    } else if (o.kind() == Outcome.Kind.REJECTED) {
      spill.removeOldest();
      rejected(old, url, o);
    } else {
      counters.retried();
      if (failed(url, o)) {
        nextReplayAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.delayMs(replayAttempt++, o.retryAfterMs()));
      }
    }
  }

  private void spillNewEvents(EventWriter writer) {
    if (stopping && !pastDeadline() && buffer.isEmpty()) {
      LockSupport.parkNanos(LINGER_POLL_NANOS); // only replaying is left: do not spin
      return;
    }
    Batch b = nextBatch(writer);
    if (b != null) {
      spillOrDrop(b);
    }
  }

  private void spillOrDrop(Batch batch) {
    if (spill.write(batch)) {
      counters.spilled(batch.events());
      return;
    }
    DropReason reason = spill.enabled() ? DropReason.SPILL_FULL : DropReason.SHUTDOWN;
    counters.dropped(reason, batch.events());
    warnings.warn("drop-" + reason.tag(), "dropped a batch of " + batch.events() + " events (" + reason.tag()
        + (spill.enabled() ? ": spill directory full or unwritable" : ": stop timeout passed with no router answering") + ")", null);
  }

  private void rejected(Batch batch, URI url, Outcome o) {
    counters.dropped(DropReason.REJECTED, batch.events());
    warnings.warn("rejected", "router " + url + " refused a batch of " + batch.events() + " events with HTTP "
        + o.status() + " (dropped; sending it again cannot help): " + o.detail(), null);
    recovered(); // the router answered: it is reachable
  }

  /** Records a failed attempt; true when every router failed in a row (time to back off). */
  private boolean failed(URI url, Outcome o) {
    synchronized (this) {
      if (outageSince == Long.MIN_VALUE) {
        outageSince = System.nanoTime();
      }
    }
    warnings.warn("unreachable", "router " + url + " did not take a batch ("
        + (o.status() == 0 ? o.detail() : "HTTP " + o.status()) + "); retrying with the same Idempotency-Key", null);
    boolean fullRound = pool.failed();
    if (pool.size() > 1) {
      counters.failedOver();
    }
    return fullRound;
  }

  private void recovered() {
    synchronized (this) {
      outageSince = Long.MIN_VALUE;
    }
    pool.succeeded();
  }

  private synchronized boolean outageLongerThan(long nanos) {
    return outageSince != Long.MIN_VALUE && System.nanoTime() - outageSince >= nanos;
  }

  private boolean pastDeadline() {
    return System.nanoTime() - stopDeadline >= 0;
  }

  /** The request timeout, cut to what is left of the stop deadline when stopping. */
  private int readTimeout() {
    if (!stopping) {
      return requestTimeoutMs;
    }
    long left = TimeUnit.NANOSECONDS.toMillis(stopDeadline - System.nanoTime());
    return (int) Math.max(1, Math.min(requestTimeoutMs, left));
  }

  private void sleepMs(long ms) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (!Thread.currentThread().isInterrupted()) {
      long left = until - System.nanoTime();
      if (stopping) {
        left = Math.min(left, stopDeadline - System.nanoTime());
      }
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(Math.min(left, IDLE_POLL_NANOS)); // wakes to notice a stop
    }
  }

  /** Wiring for the many collaborators. */
  public static final class Builder {
    private EventBuffer buffer;
    private ClientCounters counters;
    private RouterPool pool;
    private HttpTransport transport;
    private SpillStore spill = SpillStore.OFF;
    private RateLimitedWarnings warnings;
    private Backoff backoff;
    private int maxEvents;
    private int maxBytes;
    private long lingerMs;
    private int requestTimeoutMs;
    private long spillAfterMs;

    public Builder buffer(EventBuffer v) { buffer = v; return this; }
    public Builder counters(ClientCounters v) { counters = v; return this; }
    public Builder pool(RouterPool v) { pool = v; return this; }
    public Builder transport(HttpTransport v) { transport = v; return this; }
    public Builder spill(SpillStore v) { spill = v; return this; }
    public Builder warnings(RateLimitedWarnings v) { warnings = v; return this; }
    public Builder backoff(Backoff v) { backoff = v; return this; }
    public Builder maxEvents(int v) { maxEvents = v; return this; }
    public Builder maxBytes(int v) { maxBytes = v; return this; }
    public Builder lingerMs(long v) { lingerMs = v; return this; }
    public Builder requestTimeoutMs(int v) { requestTimeoutMs = v; return this; }
    public Builder spillAfterMs(long v) { spillAfterMs = v; return this; }

    public Sender build() {
      return new Sender(this);
    }
  }
}

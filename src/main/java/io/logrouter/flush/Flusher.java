package io.logrouter.flush;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.CycleFiles;
import io.logrouter.buffer.EventQueue;
import io.logrouter.event.LogEvent;
import io.logrouter.event.RecordReader;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.sink.FlushResult;
import io.logrouter.sink.MySqlSink;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves events from the queue to MySQL. One thread per router instance owns the tailer, the
 * in-memory batch and the circuit breaker; other threads only enqueue flush requests and read
 * volatile state. Each flush commits rows and the offset together ({@link MySqlSink#write}).
 */
public final class Flusher {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
  /** Idle poll period when the queue has nothing new: bounds flush start latency, costs ~nothing. */
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final EventQueue queue;
  private final MySqlSink sink;
  private final BacklogGate gate;
  private final CycleFiles cycleFiles;
  private final FlushPolicy policy;
  private final CircuitBreaker breaker;
  private final RouterMetrics metrics;
  private final LongSupplier nanoClock;
  private final long lastIndexAtStart;
  private final ConcurrentLinkedQueue<FlushRequest> requests = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long stopDeadlineNanos;
  private volatile long oldestPendingMicros;

  // Owned by the flusher thread.
  private final RecordReader reader = new RecordReader();
  private final List<LogEvent> batch = new ArrayList<>();
  private final List<FlushRequest> waiting = new ArrayList<>();
  private ExcerptTailer tailer;
  private long batchBytes;
  private long batchLastIndex = -1;
  private long lastFlushNanos;
  private long rowsFlushed;
  private boolean catchingUp;

  private record FlushRequest(CompletableFuture<Long> done, long rowsAtRequest) {}

  public Flusher(EventQueue queue, MySqlSink sink, BacklogGate gate, FlushPolicy policy, CircuitBreaker breaker,
      RouterMetrics metrics, LongSupplier nanoClock, long lastIndexAtStart) {
    this.queue = queue;
    this.sink = sink;
    this.gate = gate;
    this.cycleFiles = new CycleFiles(queue);
    this.policy = policy;
    this.breaker = breaker;
    this.metrics = metrics;
    this.nanoClock = nanoClock;
    this.lastIndexAtStart = lastIndexAtStart;
    this.thread = new Thread(this::run, "flusher");
  }

  public void start() {
    thread.start();
  }

  /** Flushes everything appended before this call; completes with the rows written (0 if none). */
  public CompletableFuture<Long> requestFlush() {
    FlushRequest request = new FlushRequest(new CompletableFuture<>(), -1);
    requests.add(request);
    LockSupport.unpark(thread);
    return request.done;
  }

  /** Drains the queue into MySQL (retrying until {@code deadlineNanos}), then stops the thread. */
  public void stop(long timeoutNanos) throws InterruptedException {
    stopDeadlineNanos = nanoClock.getAsLong() + timeoutNanos;
    stopping = true;
    LockSupport.unpark(thread);
    thread.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 5_000);
  }

  /** True while the flusher thread still runs (e.g. a final flush outlasting the stop timeout). */
  public boolean isRunning() {
    return thread.isAlive();
  }

  public CircuitBreaker.State dbState() {
    return breaker.state();
  }

  /** Receive time (micros) of the oldest event read but not yet committed, or 0 when none. */
  public long oldestPendingMicros() {
    return oldestPendingMicros;
  }


  private void run() {
    try {
      if (!recover()) {
        return;
      }
      loop();
    } catch (RuntimeException | Error e) {
      LOG.error("flusher stopped on an unexpected error; events stay in the queue for the next start", e);
      failWaiting(e);
    } finally {
      if (tailer != null) {
        tailer.close();
      }
    }
  }

  private void loop() {
    lastFlushNanos = nanoClock.getAsLong();
    while (true) {
      takeRequests();
      boolean urgent = stopping || !waiting.isEmpty();
      boolean full = fill();
      // Catching up on a backlog: the partial batch after a size-triggered flush goes at once
      // instead of waiting out flush.interval.
      boolean drainTail = catchingUp && !full && !batch.isEmpty();
      if (policy.due(batchBytes, batch.size(), nanoClock.getAsLong(), lastFlushNanos) || (urgent && !batch.isEmpty())
          || drainTail) {
        catchingUp = policy.sizeReached(batchBytes);
        if (!flush()) {
          return; // stopping and out of time: the queue keeps the events
        }
        continue;
      }
      if (!full && urgent) {
        completeWaiting();
        if (stopping) {
          return;
        }
      }
      LockSupport.parkNanos(IDLE_PARK_NANOS);
    }
  }

  /** Reads documents until the batch is full or the queue has no more. @return true when full */
  private boolean fill() {
    while (!policy.sizeReached(batchBytes)) {
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return false;
        }
        Bytes<?> bytes = dc.wire().bytes();
        long size = bytes.readRemaining();
        long index = dc.index();
        if (batch.isEmpty()) {
          reader.read(bytes, index, this::addFirst);
        } else {
          reader.read(bytes, index, batch::add);
        }
        batchBytes += size;
        batchLastIndex = index;
      }
    }
    return true;
  }

  private void addFirst(LogEvent event) {
    if (batch.isEmpty()) {
      oldestPendingMicros = event.receivedMicros();
    }
    batch.add(event);
  }

  /** Commits the batch, retrying through the circuit breaker. @return false when stopping ran out of time */
  private boolean flush() {
    while (true) {
      long wait = breaker.waitNanos(nanoClock.getAsLong());
      if (wait > 0 && takeRequests()) {
        // An operator asked to flush now: probe MySQL at once instead of waiting out the back-off.
        breaker.probeNow();
        wait = 0;
      }
      if (wait > 0) {
        if (stopping && nanoClock.getAsLong() + wait > stopDeadlineNanos) {
          LOG.warn("shutting down with {} events not flushed (MySQL unavailable); they stay in the queue", batch.size());
          failWaiting(new SQLException("MySQL unavailable; events stay queued"));
          return false;
        }
        LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
        continue;
      }
      long start = nanoClock.getAsLong();
      try {
        FlushResult result = sink.write(batch, batchLastIndex);
        onCommitted(result.rowsWritten(), result.rowsRejected(), nanoClock.getAsLong() - start);
        return true;
      } catch (SQLException | RuntimeException e) {
        onFailure(e);
        if (commitHappenedAnyway()) {
          onCommitted(batch.size(), 0, nanoClock.getAsLong() - start);
          return true;
        }
        if (breaker.state() == CircuitBreaker.State.OPEN) {
          // Callers of an explicit flush get an answer now rather than after the outage.
          failWaiting(new SQLException("MySQL unavailable (" + e.getMessage() + "); events stay queued"));
        }
      }
    }
  }

  private void onFailure(Exception e) {
    metrics.dbError(false);
    CircuitBreaker.State before = breaker.state();
    breaker.onFailure(nanoClock.getAsLong());
    if (breaker.consecutiveFailures() == 1 || before != breaker.state()) {
      LOG.warn("flush of {} events failed (attempt {}, breaker {}): {}", batch.size(),
          breaker.consecutiveFailures(), breaker.state(), e.toString());
    }
  }

  /**
   * A failure can hit the COMMIT itself, leaving its outcome unknown. The offset row says what
   * happened: if it already holds this batch's last index, the batch is in MySQL.
   */
  private boolean commitHappenedAnyway() {
    try {
      return sink.committedIndex() >= batchLastIndex;
    } catch (SQLException e) {
      return false;
    }
  }

  private void onCommitted(int rows, int rejected, long durationNanos) {
    if (breaker.state() != CircuitBreaker.State.CLOSED) {
      LOG.warn("MySQL answers again; flushing resumed");
    }
    breaker.onSuccess();
    metrics.flushed(rows, rejected, batchBytes, durationNanos);
    if (rejected > 0) {
      metrics.dbError(true);
      LOG.warn("{} events refused by MySQL were written to logs_rejected", rejected);
    }
    LOG.debug("flushed {} rows ({} rejected, {} bytes) in {} ms", rows, rejected, batchBytes, durationNanos / 1_000_000);
    gate.released(batchBytes, batch.size());
    cycleFiles.deleteCommittedBefore(batchLastIndex);
    rowsFlushed += rows + rejected;
    batch.clear();
    batchBytes = 0;
    oldestPendingMicros = 0;
    lastFlushNanos = nanoClock.getAsLong();
  }

  /** @return true when new requests arrived */
  private boolean takeRequests() {
    boolean any = false;
    FlushRequest r;
    while ((r = requests.poll()) != null) {
      waiting.add(new FlushRequest(r.done, rowsFlushed));
      any = true;
    }
    return any;
  }

  private void completeWaiting() {
    for (FlushRequest r : waiting) {
      r.done.complete(rowsFlushed - r.rowsAtRequest);
    }
    waiting.clear();
  }

  private void failWaiting(Throwable cause) {
    takeRequests();
    waiting.forEach(r -> r.done.completeExceptionally(cause));
    waiting.clear();
  }

  /** Finds the committed index (waiting for MySQL if needed), positions the tailer, counts the backlog. */
  private boolean recover() {
    long committed = Long.MIN_VALUE;
    while (committed == Long.MIN_VALUE) {
      try {
        sink.ensureSchema();
        committed = sink.committedIndex();
      } catch (SQLException | RuntimeException e) {
        onFailure(e);
        failWaiting(e);
        if (stopping) {
          return false;
        }
        LockSupport.parkNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(10), breaker.waitNanos(nanoClock.getAsLong())));
      }
    }
    breaker.onSuccess();
    tailer = queue.createTailer();
    QueuePosition.resumeAfter(tailer, committed);
    countBacklogAtStart(committed);
    return true;
  }

  /** Documents appended before this start are not counted by ingest; count them once here. */
  private void countBacklogAtStart(long committed) {
    long bytes = 0;
    int events = 0;
    try (ExcerptTailer scan = queue.createTailer()) {
      QueuePosition.resumeAfter(scan, committed);
      while (true) {
        try (DocumentContext dc = scan.readingDocument()) {
          if (!dc.isPresent() || dc.index() > lastIndexAtStart) {
            break;
          }
          Bytes<?> b = dc.wire().bytes();
          bytes += b.readRemaining();
          b.readSkip(1);
          events += b.readInt();
        }
      }
    }
    gate.appended(bytes, events);
    LOG.info("flusher resumes after queue index {}; {} events ({} bytes) from before this start wait for MySQL",
        committed, events, bytes);
  }
}

package io.logrouter.flush;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.Batch;
import io.logrouter.buffer.BatchSource;
import io.logrouter.buffer.PrefetchingSource;
import io.logrouter.sink.BatchSink;
import io.logrouter.sink.FlushResult;
import io.logrouter.threads.RouterThreads;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches from the queue ({@link BatchSource}) to the database ({@link BatchSink}). One thread
 * owns the pending batch and the circuit breaker; other threads only enqueue flush requests and read
 * volatile state. Each flush commits rows, damage reports and the offset together.
 *
 * <p>Supervised: an unexpected error anywhere in the loop is logged and counted, the pending batch
 * is dropped (it is still in the queue) and the loop restarts from the committed index after a
 * back-off, so nothing is lost and nothing stops silently. {@link #stallReason} tells /ready when
 * events wait and nothing commits although the database answers.
 *
 * <p>One flusher is one flush lane ({@link FlushLanes}): its source delivers only the lane's documents
 * and reports how far it has passed over other lanes' ones ({@link Batch#passedTo}), so "caught up" and
 * "committed up to" compare with the queue's own last index whatever the lane count.
 */
public final class Flusher {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
  private static final long RESTART_BACKOFF_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long RESTART_BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long BACKLOG_COUNT_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BatchSource source;
  private final BatchSink sink;
  private final BacklogGate gate;
  private final FlushPolicy policy;
  private final CircuitBreaker breaker;
  private final FlushReports reports;
  private final LongSupplier nanoClock;
  private final Parker parker;
  private final long stallTimeoutNanos;
  /** Documents up to here were appended before this start: ingest did not count them. */
  private final long lastIndexAtStart;
  private final FlushRequests requests = new FlushRequests();
  private final Thread thread;
  private final LaneLayout layout;
  private volatile boolean stopping;
  private volatile long stopDeadlineNanos;
  private volatile long oldestPendingMicros;
  private volatile long committedIndex = -1;
  private volatile long progressNanos;
  private volatile long backlogDocuments;
  private volatile String failure;
  private volatile String lastFailure;
  /** Owned by the watch thread. */
  private final StallLog stallLog = new StallLog();

  // Owned by the flusher thread.
  private final FlushLoop loop;
  private final Batch pending = new Batch();
  private long lastFlushNanos;
  private long lastBacklogCountNanos;
  private long rowsFlushed;
  /** Bytes of this lane's documents read so far: the loop's looks compare it to see how fast they come. */
  private long bytesRead;
  private boolean catchingUp;
  private boolean counted;

  /** How the loop waits; tests replace it to run without sleeping. */
  public interface Parker {
    Parker SLEEP = java.util.concurrent.locks.LockSupport::parkNanos;

    void park(long nanos);
  }

  Flusher(FlusherBuilder b) {
    // The next batch is read while the current one loads (one flush's worth ahead, bounded).
    this.source = new PrefetchingSource(b.source, b.policy.maxBytes(), "queue-prefetch" + b.threadSuffix,
        b.policy::trickle);
    this.sink = b.sink;
    this.gate = b.gate;
    this.policy = b.policy;
    this.breaker = b.breaker;
    this.reports = new FlushReports(b.metrics);
    this.nanoClock = b.nanoClock;
    this.parker = b.parker;
    this.stallTimeoutNanos = b.stallTimeout.toNanos();
    this.progressNanos = nanoClock.getAsLong();
    this.lastIndexAtStart = b.lastIndexAtStart == FlusherBuilder.UNKNOWN_INDEX ? source.lastIndex() : b.lastIndexAtStart;
    this.layout = b.layout;
    this.loop = new FlushLoop(); // after policy: its idle park reads it
    this.thread = RouterThreads.newThread("flusher" + b.threadSuffix, this::run, false);
  }

  public static FlusherBuilder builder() {
    return new FlusherBuilder();
  }

  public void start() {
    thread.start();
  }

  /** Flushes everything appended before this call; completes with the rows written (0 if none). */
  public CompletableFuture<Long> requestFlush() {
    CompletableFuture<Long> done = requests.add();
    java.util.concurrent.locks.LockSupport.unpark(thread);
    return done;
  }

  /** Drains the queue into the database (retrying until the deadline), then stops the thread. */
  public void stop(long timeoutNanos) throws InterruptedException {
    beginStop(timeoutNanos);
    awaitStop(timeoutNanos);
  }

  /** Starts the final flush and returns: lanes stop side by side, each with the whole timeout. */
  void beginStop(long timeoutNanos) {
    stopDeadlineNanos = nanoClock.getAsLong() + timeoutNanos;
    stopping = true;
    java.util.concurrent.locks.LockSupport.unpark(thread);
  }

  void awaitStop(long timeoutNanos) throws InterruptedException {
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

  /** Queue documents written and not yet committed, from the queue's index (refreshed every second). */
  public long backlogDocuments() {
    return backlogDocuments;
  }

  /**
   * Why the flusher is not doing its job, or null: its thread is gone, or documents have waited
   * longer than {@code flush.stall.timeout} with no commit although the database answers.
   */
  public String stallReason() {
    if (failure != null) {
      return failure;
    }
    if (!stopping && !thread.isAlive() && counted) {
      return "flusher thread is not running";
    }
    long waitedNanos = nanoClock.getAsLong() - progressNanos;
    if (waitedNanos > stallTimeoutNanos && breaker.state() == CircuitBreaker.State.CLOSED
        && source.lastIndex() > committedIndex) {
      return "flusher stalled: queued events have waited " + TimeUnit.NANOSECONDS.toSeconds(waitedNanos)
          + " s with nothing committed while the database answers";
    }
    return null;
  }

  /**
   * Says in the log what {@link #stallReason} says in /ready and the metric ({@link StallLog}). Called about
   * once a second from one thread ({@link FlushLanes}' watch); {@code name} says which lane.
   */
  void watch(String name) {
    if (sink.abortStuckWrite()) {
      reports.writeAborted();
    }
    stallLog.check(name, failure == null && thread.isAlive() ? stallReason() : null, progressNanos, thread,
        breaker.state());
  }

  private void run() {
    try {
      superviseLoop();
    } finally {
      source.close(); // stops the prefetch thread
    }
  }

  private void superviseLoop() {
    long backoff = RESTART_BACKOFF_MIN_NANOS;
    while (true) {
      try {
        if (recover()) {
          loop.run();
        }
        return;
      } catch (RuntimeException | Error e) {
        RouterThreads.failed("flusher (restarting from the committed index in " + backoff / 1_000_000 + " ms)", e);
        pending.clear();
        oldestPendingMicros = 0;
        if (stopping) {
          requests.fail(e);
          return;
        }
        parker.park(backoff);
        backoff = Math.min(RESTART_BACKOFF_MAX_NANOS, backoff * 2);
      }
    }
  }

  /** The loop proper: read, decide, flush. Returns when stopping. */
  private final class FlushLoop {
    private final IdlePark idle = new IdlePark(policy);

    void run() {
      lastFlushNanos = nanoClock.getAsLong();
      while (true) {
        takeRequests();
        boolean urgent = stopping || requests.anyWaiting() || !pending.damaged().isEmpty();
        boolean full = fill();
        // Catching up on a backlog: the partial batch after a size-triggered flush goes at once.
        boolean drainTail = catchingUp && !full && !pending.isEmpty();
        long now = nanoClock.getAsLong();
        if (policy.due(pending.bytes(), pending.documents(), now, lastFlushNanos) || (urgent && !pending.isEmpty())
            || drainTail) {
          catchingUp = policy.sizeReached(pending.bytes());
          idle.reset();
          if (!flush()) {
            return; // stopping and out of time: the queue keeps the events
          }
          // Catching up never reaches the idle branch below: count here too, or the gauge keeps what it was
          // before the backlog (a benchmark's 100k-row flushes: 13 documents for six minutes, ~1,650 waiting).
          countBacklog(nanoClock.getAsLong());
          continue;
        }
        if (pending.isEmpty() && source.lastIndex() <= committedIndex) {
          progressNanos = now; // caught up: nothing waits
        }
        countBacklog(now);
        if (!full && urgent && pending.damaged().isEmpty()) {
          requests.complete(committedIndex, rowsFlushed, stopping);
          if (stopping) {
            return;
          }
        }
        parker.park(idle.next(urgent, bytesRead, !pending.isEmpty(), policy.nanosUntilInterval(now, lastFlushNanos)));
      }
    }
  }

  /** Reads until the batch is full or the queue has no more. @return true when full */
  private boolean fill() {
    while (!policy.sizeReached(pending.bytes())) {
      Batch more = source.next(policy.maxBytes() - pending.bytes());
      if (more.readNothing()) {
        return false;
      }
      if (pending.isEmpty()) {
        oldestPendingMicros = more.oldestReceivedMicros();
      }
      pending.append(more);
      bytesRead += more.bytes();
      if (pending.isEmpty()) {
        passedOver(); // only other lanes' documents so far
      }
    }
    return true;
  }

  /**
   * Nothing of this lane waits and the read went past other lanes' documents: this lane is committed up
   * to there. Not written to MySQL (a restart passes over them again); only the position moves.
   */
  private void passedOver() {
    if (pending.passedTo() > committedIndex) {
      committedIndex = pending.passedTo();
      source.release(committedIndex);
    }
    pending.clear();
  }

  private void countBacklog(long now) {
    if (now - lastBacklogCountNanos >= BACKLOG_COUNT_PERIOD_NANOS) {
      lastBacklogCountNanos = now;
      backlogDocuments = source.documentsAfter(committedIndex);
    }
  }

  /** Commits the batch, retrying through the circuit breaker. @return false when stopping ran out of time */
  private boolean flush() {
    while (true) {
      long wait = breaker.waitNanos(nanoClock.getAsLong());
      if (wait > 0 && takeRequests()) {
        // An operator asked to flush now: probe the database at once instead of waiting out the back-off.
        breaker.probeNow();
        wait = 0;
      }
      if (wait > 0) {
        if (stopping && nanoClock.getAsLong() + wait > stopDeadlineNanos) {
          LOG.warn("shutting down with {} events not flushed (MySQL unavailable); they stay in the queue",
              pending.eventCount());
          requests.fail(new SQLException("MySQL unavailable; events stay queued"));
          return false;
        }
        parker.park(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
        continue;
      }
      long start = nanoClock.getAsLong();
      try {
        onCommitted(sink.write(pending), nanoClock.getAsLong() - start);
        return true;
      } catch (SQLException e) {
        // The failure may have hit the COMMIT itself; the next attempt is still safe, because the sink
        // finds a batch it already committed from its offset and does not write it again.
        onFailure(e);
        if (breaker.state() == CircuitBreaker.State.OPEN) {
          // Callers of an explicit flush get an answer now rather than after the outage.
          requests.fail(new SQLException("MySQL unavailable (" + e.getMessage() + "); events stay queued"));
        }
      }
    }
  }

  private void onFailure(Exception e) {
    CircuitBreaker.State before = breaker.state();
    long now = nanoClock.getAsLong();
    breaker.onFailure(now);
    lastFailure = e.toString();
    reports.failed(lastFailure, pending.eventCount(), breaker, before, now);
  }

  /** The last flush failure, or null: for diagnostics (a test that timed out prints it). */
  public String lastFailure() {
    return lastFailure;
  }

  private void onCommitted(FlushResult result, long durationNanos) {
    reports.committed(result, pending, durationNanos, breaker.state() != CircuitBreaker.State.CLOSED);
    breaker.onSuccess();
    gate.released(pending.bytes(), pending.eventCount());
    committedIndex = pending.passedTo();
    source.release(committedIndex);
    rowsFlushed += result.rowsWritten() + result.rowsRejected();
    pending.clear();
    oldestPendingMicros = 0;
    lastFlushNanos = nanoClock.getAsLong();
    progressNanos = lastFlushNanos;
  }

  /** @return true when new requests arrived */
  private boolean takeRequests() {
    return requests.take(rowsFlushed, source.lastIndex());
  }

  /** Finds the committed index (waiting for the database if needed) and positions the reader after it. */
  private boolean recover() {
    long committed = Long.MIN_VALUE;
    while (committed == Long.MIN_VALUE) {
      try {
        sink.ensureSchema();
        layout.settle();
        committed = sink.committedIndex();
      } catch (LaneLayout.RefusedException | io.logrouter.sink.MixedIdsException e) {
        return refuseToStart(e);
      } catch (SQLException | RuntimeException e) {
        onFailure(e);
        requests.fail(e);
        if (stopping) {
          return false;
        }
        parker.park(Math.max(TimeUnit.MILLISECONDS.toNanos(10), breaker.waitNanos(nanoClock.getAsLong())));
      }
    }
    breaker.onSuccess();
    committedIndex = committed;
    source.resumeAfter(committed);
    if (!counted) {
      countBacklogAtStart(committed);
      counted = true;
    }
    return true;
  }

  /** The lane layout cannot change now, or db.ids would mix id kinds: say so where operators look, flush nothing until restarted. */
  private boolean refuseToStart(RuntimeException e) {
    failure = e.getMessage();
    while (!stopping) {
      requests.fail(e); // an explicit flush gets the reason at once (requestFlush wakes this thread)
      parker.park(TimeUnit.SECONDS.toNanos(1));
    }
    requests.fail(e);
    return false;
  }

  /**
   * Documents appended before this start were not counted by ingest: count them once. The document
   * count comes from the queue's index; bytes and events from reading them (damaged ones included).
   */
  private void countBacklogAtStart(long committed) {
    long documents = source.documentsAfter(committed);
    backlogDocuments = documents;
    BatchSource.Backlog backlog = source.measure(committed, lastIndexAtStart);
    gate.appended(backlog.bytes(), (int) Math.min(Integer.MAX_VALUE, backlog.events()));
    LOG.info("flusher resumes after queue index {}; {} queued documents ({} events, {} bytes) from before this "
        + "start wait for MySQL{}", Long.toHexString(committed), backlog.documents(), backlog.events(), backlog.bytes(),
        backlog.damaged() == 0 ? "" : "; " + backlog.damaged() + " of them are damaged and will be reported");
  }
}

package io.logrouter.flush;

import io.logrouter.buffer.Batch;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.sink.FlushResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each flush attempt tells operators: its metrics and its log lines, one per outcome. Logged under
 * {@link Flusher}'s name, where operators have always looked for them. Owned by the flusher thread.
 */
final class FlushReports {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

  private final RouterMetrics metrics;
  private final FailureLog failureLog = new FailureLog();

  FlushReports(RouterMetrics metrics) {
    this.metrics = metrics;
  }

  /** @param resumed the breaker was not closed before this commit: the database had been failing */
  void committed(FlushResult result, Batch batch, long durationNanos, boolean resumed) {
    int rows = result.rowsWritten();
    int rejected = result.rowsRejected();
    if (resumed) {
      LOG.warn("MySQL answers again; flushing resumed");
    }
    int damaged = batch.damaged().size();
    metrics.flushed(rows, rejected, batch.bytes(), durationNanos);
    if (damaged > 0) {
      metrics.queueDamaged(damaged);
    }
    if (result.duplicates() > 0) {
      metrics.deduplicated(result.duplicates());
    }
    if (rejected > 0) {
      metrics.dbError(true);
      LOG.warn("{} events refused by MySQL were written to logs_rejected", rejected);
    }
    LOG.debug("flushed {} rows ({} rejected, {} damaged documents, {} bytes) in {} ms", rows, rejected, damaged,
        batch.bytes(), durationNanos / 1_000_000);
  }

  /** The watch aborted a write that made no progress for flush.write.timeout (the sink logged why). */
  void writeAborted() {
    metrics.flushWriteAborted();
  }

  /**
   * @param failure the error, as text
   * @param breakerBefore the breaker's state before it counted this failure
   */
  void failed(String failure, int events, CircuitBreaker breaker, CircuitBreaker.State breakerBefore, long nowNanos) {
    metrics.dbError(false);
    boolean firstOrChange = breaker.consecutiveFailures() == 1 || breakerBefore != breaker.state();
    if (failureLog.due(failure, firstOrChange, nowNanos)) {
      LOG.warn("flush of {} events failed (attempt {}, breaker {}): {}", events, breaker.consecutiveFailures(),
          breaker.state(), failure);
    }
  }
}

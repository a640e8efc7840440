package io.logrouter.flush;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log what {@link Flusher#stallReason} says in /ready and the metric: once at ERROR when a
 * stall begins, with the flusher thread's stack (it cannot speak for itself: it may sit in a LOAD DATA the
 * server stopped reading, in a socket read waiting for the answer, on a lock), and once when it ends.
 * Dead threads and refusals are logged where they happen. Owned by the one thread that calls
 * {@link #check} (FlushLanes' watch); logs under the Flusher's name, where operators look.
 */
final class StallLog {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

  private boolean reported;
  /** The flusher's last progress when the reported stall began. */
  private long stalledSinceNanos;

  /**
   * @param name the lane's prefix for the line ("" with one lane)
   * @param reason why the flusher is stalled now, or null
   * @param progressNanos when the flusher last committed (or caught up)
   */
  void check(String name, String reason, long progressNanos, Thread flusher, CircuitBreaker.State database) {
    if (reason != null && !reported) {
      reported = true;
      stalledSinceNanos = progressNanos;
      LOG.error("{}{}; the {} thread is at the stack below (a database that stopped reading or answering shows"
          + " as a socket write or read in com.mysql.cj); /ready answers 503 and logrouter_flush_stalled is 1"
          + " until a flush commits", name, reason, flusher.getName(), new ThreadStack(flusher));
    } else if (reason == null && reported) {
      reported = false;
      if (progressNanos != stalledSinceNanos) {
        LOG.warn("{}flusher moving again: a flush committed (or the queue was caught up) {} s after the last"
            + " progress", name, Math.max(0, TimeUnit.NANOSECONDS.toSeconds(progressNanos - stalledSinceNanos)));
      } else {
        // The wait ended in an error (a socket timeout, a killed query): an outage now, retried with back-off.
        LOG.warn("{}flusher no longer stalled: the flush failed (database {}), it is retried with back-off", name,
            database);
      }
    }
  }

  /** Where a stalled thread is, as a throwable for the log: its stack, and no stack of the watch thread. */
  private static final class ThreadStack extends Throwable {
    private static final long serialVersionUID = 1L;

    ThreadStack(Thread thread) {
      super("stack of thread " + thread.getName() + " (" + thread.getState() + ")", null, false, true);
      setStackTrace(thread.getStackTrace());
    }
  }
}

package io.logrouter.flush;

import java.util.concurrent.TimeUnit;

/**
 * How long the flush loop parks between two looks at the queue when no flush is due. Owned by the flusher thread.
 *
 * <p>2 ms while documents stream in, so that they count towards the batch's size trigger soon. Doubling up to
 * 32 ms while nothing is appended or documents only trickle in ({@link FlushPolicy#trickle}): a quiet router,
 * its few events waiting out flush.interval, was polled 500 times a second (~1.5 % of a core), and at 1,000
 * requests a second the polls were ~820 wake-ups a second on the cores the request path needs. So at most 32 ms
 * pass before documents appended to a quiet queue are seen. The interval trigger is never delayed (the park ends
 * when it is due); explicit flushes and stop wake the thread at once.
 */
final class IdlePark {
  static final long MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(32);

  private final FlushPolicy policy;
  private long nanos = MIN_NANOS;
  private long bytesReadAtLastLook;

  IdlePark(FlushPolicy policy) {
    this.policy = policy;
  }

  /** A flush ran: documents came fast enough to fill a batch, or someone waits. */
  void reset() {
    nanos = MIN_NANOS;
  }

  /**
   * The next park: longer each time little or nothing was read since the last look, never past the interval
   * trigger while a batch waits.
   *
   * @param bytesRead bytes of this lane's documents read so far
   * @param nanosUntilInterval time until flush.interval is due for the pending batch; ignored when none waits
   */
  long next(boolean urgent, long bytesRead, boolean batchWaits, long nanosUntilInterval) {
    boolean slow = !urgent && policy.trickle(bytesRead - bytesReadAtLastLook);
    bytesReadAtLastLook = bytesRead;
    nanos = slow ? Math.min(MAX_NANOS, nanos * 2) : MIN_NANOS;
    if (!batchWaits) {
      return nanos;
    }
    return Math.min(nanos, Math.max(MIN_NANOS, nanosUntilInterval));
  }
}

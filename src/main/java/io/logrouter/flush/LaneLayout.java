package io.logrouter.flush;

import io.logrouter.sink.LaneOffsets;
import java.sql.SQLException;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, once per start and before any lane resumes, that the router's offsets rows match
 * {@code flush.lanes}. A lane owns documents by their position modulo the lane count, so a changed count
 * changes every document's owner: the change is safe only when the old lanes have committed all of their
 * documents. Then the new lanes all start after the last committed document, in one transaction. When
 * documents still wait under the old layout, no lane flushes and /ready says why: the operator starts
 * again with the old count until the backlog is flushed (nothing is lost meanwhile; ingest goes on).
 */
public class LaneLayout {
  private static final Logger LOG = LoggerFactory.getLogger(LaneLayout.class);
  /** One flusher with no layout to check (tests, tools). */
  static final LaneLayout SINGLE = new LaneLayout(null, 1, null, -1) {
    @Override
    synchronized void settle() {}
  };

  private final LaneOffsets offsets;
  private final int lanes;
  /** Given each old lane's committed index and the last index to look at: the first document still waiting, or -1. */
  private final FirstUncommitted firstUncommitted;
  /** The queue's last index before this start took requests: later documents belong to the new layout. */
  private final long lastIndexAtStart;
  private boolean settled;
  private RefusedException refused;

  /** The lane count cannot change now; permanent until the router restarts with another count. */
  public static final class RefusedException extends RuntimeException {
    RefusedException(String message) {
      super(message);
    }
  }

  /** The queue's scan for documents an old layout has not committed (see EventQueue#firstUncommitted). */
  public interface FirstUncommitted {
    long find(long[] committedByLane, long upToIndex);
  }

  /** @param lastIndexAtStart the queue's last index, taken before ingest starts */
  public LaneLayout(LaneOffsets offsets, int lanes, FirstUncommitted firstUncommitted, long lastIndexAtStart) {
    this.offsets = offsets;
    this.lanes = lanes;
    this.firstUncommitted = firstUncommitted;
    this.lastIndexAtStart = lastIndexAtStart;
  }

  /**
   * Makes the offsets rows fit {@code flush.lanes}; every lane calls it before reading its committed index,
   * the first call does the work.
   *
   * @throws SQLException when the database cannot answer (the lane retries, as for any outage)
   * @throws RefusedException when the count cannot change yet
   */
  synchronized void settle() throws SQLException {
    if (refused != null) {
      throw refused;
    }
    if (settled) {
      return;
    }
    SortedMap<Integer, Long> rows = offsets.read();
    if (rows.size() == lanes && rows.lastKey() == lanes - 1) {
      settled = true;
      return;
    }
    if (rows.isEmpty()) {
      // Every lane's row exists before any flush: two lanes locking absent rows (FOR UPDATE takes a gap
      // lock) and then inserting them would deadlock on their first flush.
      offsets.relayout(lanes, -1);
      settled = true;
      return;
    }
    int oldLanes = rows.lastKey() + 1;
    long[] committed = new long[oldLanes];
    long last = -1;
    for (int lane = 0; lane < oldLanes; lane++) {
      committed[lane] = rows.getOrDefault(lane, -1L);
      last = Math.max(last, committed[lane]);
    }
    long waiting = firstUncommitted.find(committed, lastIndexAtStart);
    if (waiting >= 0) {
      refused = new RefusedException("flush.lanes is " + lanes + " but this router's queue still holds documents "
          + "of its " + oldLanes + " earlier lanes (the first at index " + Long.toHexString(waiting) + "): "
          + "nothing is flushed; restart with flush.lanes=" + oldLanes + " until the backlog is in MySQL, then change it");
      LOG.error(refused.getMessage());
      throw refused;
    }
    offsets.relayout(lanes, last);
    LOG.info("flush.lanes changed from {} to {}: every lane resumes after queue index {}", oldLanes, lanes,
        Long.toHexString(last));
    settled = true;
  }
}

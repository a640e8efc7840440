package io.logrouter.buffer;

import java.util.Arrays;

/**
 * When several flush lanes read one queue, a cycle file may be deleted only once every lane has
 * committed past it: each lane reports what it committed here, and files go below the lowest. Called
 * once per flush per lane (not on the ingest path); the lock orders the deletions.
 */
final class ReleaseFloor {
  private static final long UNKNOWN = Long.MIN_VALUE;
  private final EventQueue queue;
  private final long[] committed;
  /** The floor's cycle at the last deletion: files are listed again only when it moves on. */
  private int floorCycle = Integer.MIN_VALUE;

  ReleaseFloor(EventQueue queue, int lanes) {
    this.queue = queue;
    this.committed = new long[lanes];
    Arrays.fill(committed, UNKNOWN);
  }

  /** Lane {@code lane} has committed (or passed, owning nothing there) every document up to {@code index}. */
  synchronized void committed(int lane, long index) {
    committed[lane] = Math.max(committed[lane], index);
    long floor = Long.MAX_VALUE;
    for (long c : committed) {
      floor = Math.min(floor, c);
    }
    if (floor == UNKNOWN || floor < 0) {
      return;
    }
    int cycle = queue.rollCycle().toCycle(floor);
    if (cycle > floorCycle || committed.length == 1) {
      floorCycle = cycle;
      queue.cycleFiles().deleteCommittedBefore(floor);
    }
  }

  /** A lane resumes after {@code index} (read from MySQL): its earlier report, if any, no longer holds. */
  synchronized void resumed(int lane, long index) {
    committed[lane] = index;
  }
}

package io.logrouter.buffer;

import io.logrouter.buffer.BatchSource.Backlog;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.RollCycle;

/**
 * How much of one flush lane's share of the queue waits after a committed index: a document count from the
 * queue's index, cheap enough to refresh every second ({@link #documentsAfter}), and an exact measure that reads
 * every document, for the flusher's start ({@link #measure}). Neither moves the lane's reader or its release floor.
 */
final class LaneBacklog {
  /** Small reads: the measuring scan must not need a big heap. */
  private static final long SCAN_READ_BYTES = 4L << 20;
  private final EventQueue queue;
  private final LaneShare share;
  private final LongSupplier nanoClock;

  LaneBacklog(EventQueue queue, LaneShare share, LongSupplier nanoClock) {
    this.queue = queue;
    this.share = share;
    this.nanoClock = nanoClock;
  }

  /** Documents, events, bytes and damaged documents of this lane in (committedIndex, last], each read and checked. */
  Backlog measure(long committedIndex, long last) {
    if (last <= committedIndex) {
      return new Backlog(0, 0, 0, 0);
    }
    long[] tally = new long[4];
    QueueReader scan = QueueReader.scan(queue, nanoClock, share, new ReadListener() {
      @Override
      public void document(int cycle, long index, int events, long bytes) {
        if (index > last) {
          return;
        }
        tally[0]++;
        tally[1] += events;
        tally[2] += bytes;
      }

      @Override
      public void damaged(DamagedDocument d) {
        if (d.index() > last) {
          return;
        }
        tally[0]++;
        tally[2] += Math.max(0, d.bytes());
        tally[3]++;
      }
    });
    try {
      scan.resumeAfter(committedIndex);
      Batch batch;
      do {
        batch = scan.next(SCAN_READ_BYTES);
      } while (!batch.readNothing() && batch.passedTo() < last);
    } finally {
      scan.close();
    }
    return new Backlog(tally[0], tally[1], tally[2], tally[3]);
  }

  /** This lane's documents after {@code committedIndex}, from the queue's index: exact within one cycle file. */
  long documentsAfter(long committedIndex) {
    long last = queue.lastIndex();
    if (last <= committedIndex) {
      return 0;
    }
    long from = committedIndex < 0 ? queue.firstIndex() : committedIndex + 1;
    long all;
    try {
      all = queue.countDocuments(from, last + 1);
    } catch (RuntimeException e) {
      all = last - committedIndex; // within one cycle exact; across cycles an upper bound
    }
    if (share.lanes() == 1) {
      return all;
    }
    RollCycle cycles = queue.rollCycle();
    if (cycles.toCycle(from) != cycles.toCycle(last)) {
      return (all + share.lanes() - 1) / share.lanes(); // an even share: lanes take turns within each file
    }
    // One file: sequence numbers are consecutive, so this lane's count is exact.
    return ownedUpTo(cycles.toSequenceNumber(last)) - ownedUpTo(cycles.toSequenceNumber(from) - 1);
  }

  /** How many sequence numbers in [0, sequence] this lane owns. */
  private long ownedUpTo(long sequence) {
    return sequence < share.lane() ? 0 : (sequence - share.lane()) / share.lanes() + 1;
  }
}

package io.logrouter.buffer;

import java.util.ArrayDeque;

/**
 * The heap arrays that {@link QueueReader} copies documents into, one after another. Batches keep
 * references to their documents' bytes, so a segment is only appended to; a full one is retired, and
 * reused once every document copied into it is committed (nothing refers to those bytes any more: the
 * flusher releases a batch only after its commit, and drops it then).
 *
 * <p>Why reuse: the JVM zeroes a fresh segment (1 MB, a humongous object under G1) before the copy
 * overwrites it. That zeroing was about 6 % of the flush threads' CPU in a drain; a reused segment is
 * overwritten only.
 *
 * <p>Thread ownership: the reading thread calls everything except {@link #committed}, which the flusher
 * calls after each commit.
 */
final class Segments {
  /** Size of a fresh segment: a small fraction of a flush. */
  static final int SEGMENT_BYTES = 1 << 20;
  /**
   * Retired segments kept at most. At the default {@code flush.max.bytes} (10 MB) about 20 are in
   * flight (the batch loading and the one read ahead); past this bound the heap frees them as before.
   */
  static final int MAX_RETIRED = 32;

  private record Retired(byte[] bytes, long lastIndex) {}

  /** At most this many retired segments wait for reuse: 0 where nothing is ever committed (offline tools). */
  private final int maxRetired;

  /** Oldest first: they are committed in that order. */
  private final ArrayDeque<Retired> retired = new ArrayDeque<>();
  private volatile long committed = -1;
  private byte[] current = new byte[0];
  private int used;
  /** The highest index copied into {@link #current} (a resume may copy lower ones after higher ones). */
  private long lastIndex = -1;

  /** For the flusher's readers: segments are reused, up to {@link #MAX_RETIRED} kept waiting. */
  Segments() {
    this(MAX_RETIRED);
  }

  private Segments(int maxRetired) {
    this.maxRetired = maxRetired;
  }

  /** For readers that never commit (queue dump and verify): no segment is kept once full. */
  static Segments withoutReuse() {
    return new Segments(0);
  }

  /** The segment to copy a document of {@code length} bytes into, at {@link #used()}. */
  byte[] reserve(int length) {
    if (current.length - used < length) {
      retire();
      current = length > SEGMENT_BYTES ? new byte[length] : reusedOrFresh();
      used = 0;
      lastIndex = -1;
    }
    return current;
  }

  /** The segment {@link #reserve} returned last: the document just copied is at {@link #used()} until {@link #keep}. */
  byte[] current() {
    return current;
  }

  /** Where the next document goes in the segment {@link #reserve} returned. */
  int used() {
    return used;
  }

  /** The document just copied at {@link #used()} is kept: a batch refers to its bytes. */
  void keep(long index, int length) {
    used += length;
    lastIndex = Math.max(lastIndex, index);
  }

  /** Every document up to {@code index} is committed: segments holding only those may be reused. */
  void committed(long index) {
    committed = index;
  }

  private void retire() {
    if (current.length == SEGMENT_BYTES && used > 0 && retired.size() < maxRetired) {
      retired.addLast(new Retired(current, lastIndex));
    }
  }

  private byte[] reusedOrFresh() {
    Retired oldest = retired.peekFirst();
    if (oldest != null && oldest.lastIndex <= committed) {
      retired.pollFirst();
      return oldest.bytes;
    }
    return new byte[SEGMENT_BYTES];
  }
}

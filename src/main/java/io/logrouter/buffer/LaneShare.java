package io.logrouter.buffer;

/**
 * Which queue documents one flush lane owns ({@code flush.lanes}): those whose sequence number within
 * their cycle file is {@code lane} modulo {@code lanes}. Consecutive requests go to different lanes, so
 * every lane gets an even share whatever the traffic, and the owner of a document follows from its
 * index alone: after a restart each lane finds its own documents again without any stored map.
 *
 * @param lane this lane, 0 .. lanes-1
 * @param lanes how many lanes share the queue
 */
public record LaneShare(int lane, int lanes) {
  /** The single-lane layout: every document. */
  public static final LaneShare ALL = new LaneShare(0, 1);

  public LaneShare {
    if (lanes < 1 || lane < 0 || lane >= lanes) {
      throw new IllegalArgumentException("lane " + lane + " of " + lanes);
    }
  }

  /** Whether the document with this sequence number (within its cycle) belongs to this lane. */
  public boolean owns(long sequence) {
    return lanes == 1 || Math.floorMod(sequence, lanes) == lane;
  }

  /** The lane of {@code lanes} that owns the document with this sequence number. */
  public static int ownerOf(long sequence, int lanes) {
    return (int) Math.floorMod(sequence, (long) lanes);
  }

  @Override
  public String toString() {
    return lanes == 1 ? "all" : "lane " + lane + " of " + lanes;
  }
}

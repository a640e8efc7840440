package io.logrouter.flush;

import net.openhft.chronicle.queue.ExcerptTailer;

/** Test access to the package-private resume logic. */
public final class QueuePositionAccess {
  private QueuePositionAccess() {}

  public static void resumeAfter(ExcerptTailer tailer, long committedIndex) {
    QueuePosition.resumeAfter(tailer, committedIndex);
  }
}

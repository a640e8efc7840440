package io.logrouter.buffer;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Puts a tailer just after the last committed queue index. A tailer's own position is not the
 * commit point (it advances as it reads), so the committed index from MySQL is the only truth.
 */
final class QueuePosition {
  private QueuePosition() {}

  /** @param committedIndex last index committed to MySQL, or -1 when nothing ever was */
  static void resumeAfter(ExcerptTailer tailer, long committedIndex) {
    if (committedIndex < 0) {
      tailer.toStart();
      return;
    }
    if (tailer.moveToIndex(committedIndex)) {
      try (DocumentContext dc = tailer.readingDocument()) {
        // reading the committed document moves past it
      }
      return;
    }
    // The committed index is not in the queue any more (its file was cleaned up): every document
    // still present is either at or before it (skip) or after it (keep).
    tailer.toStart();
    while (true) {
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return;
        }
        if (dc.index() > committedIndex) {
          dc.rollbackOnClose();
          return;
        }
      }
    }
  }
}

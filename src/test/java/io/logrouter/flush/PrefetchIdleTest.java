package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.buffer.Batch;
import io.logrouter.buffer.PrefetchingSource;
import org.junit.jupiter.api.Test;

/**
 * The read-ahead thread of an idle router does not read the queue while nothing is appended (it read it 250
 * times a second, ~1.5 % of a core), and still hands out what is appended afterwards. While documents only
 * trickle in, it reads less often too (it read every 2 ms at 1,000 requests a second).
 */
class PrefetchIdleTest {
  @Test
  void aTricklingQueueIsReadLessOftenAndEveryDocumentIsHandedOut() throws Exception {
    FlusherFakes.Source source = new FlusherFakes.Source();
    PrefetchingSource prefetch = new PrefetchingSource(source, 1_000_000, "test-prefetch", bytes -> bytes < 4_000);
    try {
      prefetch.resumeAfter(-1);
      int before = source.calls.get();
      long end = System.nanoTime() + 500_000_000L;
      while (System.nanoTime() < end) {
        source.add(1); // 100 bytes a millisecond: a trickle by the rule above
        Thread.sleep(1);
      }
      int reads = source.calls.get() - before;
      // One read and one at the end per look: every 2 ms, that was ~500 in 500 ms; every 32 ms, ~32.
      assertTrue(reads < 120, "reads of a trickling queue in 500 ms: " + reads);
      int handedOut = 0;
      for (int i = 0; i < 50 && handedOut < source.size(); i++) {
        handedOut += prefetch.next(1_000_000).eventCount();
      }
      assertEquals(source.size(), handedOut, "every document appended");
    } finally {
      prefetch.close();
    }
  }

  @Test
  void anIdleQueueIsNotReadUntilDocumentsAreAppended() throws Exception {
    FlusherFakes.Source source = new FlusherFakes.Source();
    source.add(3);
    PrefetchingSource prefetch = new PrefetchingSource(source, 10_000, "test-prefetch", bytes -> false);
    try {
      prefetch.resumeAfter(-1);
      assertEquals(3, prefetch.next(10_000).eventCount());
      int before = source.calls.get();
      Thread.sleep(500);
      int idleReads = source.calls.get() - before;
      assertTrue(idleReads <= 1, "reads of an idle queue in 500 ms: " + idleReads);

      source.add(4);
      Batch later = prefetch.next(10_000);
      assertEquals(4, later.eventCount(), "documents appended to the idle queue");
    } finally {
      prefetch.close();
    }
  }
}

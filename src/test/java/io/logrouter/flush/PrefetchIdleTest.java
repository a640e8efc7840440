package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.buffer.Batch;
import io.logrouter.buffer.PrefetchingSource;
import org.junit.jupiter.api.Test;

/**
 * The read-ahead thread of an idle router does not read the queue while nothing is appended (it read it 250
 * times a second, ~1.5 % of a core), and still hands out what is appended afterwards.
 */
class PrefetchIdleTest {
  @Test
  void anIdleQueueIsNotReadUntilDocumentsAreAppended() throws Exception {
    FlusherFakes.Source source = new FlusherFakes.Source();
    source.add(3);
    PrefetchingSource prefetch = new PrefetchingSource(source, 10_000, "test-prefetch");
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

package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;

/**
 * The queue's last index as the flusher polls it: the same answer Chronicle gives from the files (a read-only
 * instance asks Chronicle), across threads, cycle rolls and a reopen, without allocating per call.
 */
class LastIndexTest extends QueueDirTest {
  @Test
  void itIsWhatTheFilesSayAfterAppendsFromTwoThreadsAndAfterAReopen() throws Exception {
    AtomicLong highest = new AtomicLong(-1);
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY")) {
      assertEquals(-1, queue.lastIndex(), "empty queue");
      Thread[] threads = new Thread[2];
      for (int t = 0; t < threads.length; t++) {
        threads[t] = new Thread(() -> {
          for (int i = 0; i < 5_000; i++) {
            long index = QueueFixture.appendBlank(queue);
            highest.accumulateAndGet(index, Math::max);
          }
        });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(highest.get(), queue.lastIndex());
      try (EventQueue files = EventQueue.openReadOnly(dir, "TEN_MINUTELY")) {
        assertEquals(highest.get(), files.lastIndex(), "Chronicle's answer from the files");
      }
    }
    try (EventQueue reopened = EventQueue.open(dir, "TEN_MINUTELY")) {
      assertEquals(highest.get(), reopened.lastIndex());
      long next = QueueFixture.appendBlank(reopened);
      assertEquals(next, reopened.lastIndex());
    }
  }

  @Test
  void itFollowsACycleRoll() {
    SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY", clock)) {
      long first = QueueFixture.appendBlank(queue);
      clock.advanceMillis(TimeUnit.MINUTES.toMillis(11));
      long second = QueueFixture.appendBlank(queue);
      assertTrue(queue.rollCycle().toCycle(second) > queue.rollCycle().toCycle(first), "a new cycle file");
      assertEquals(second, queue.lastIndex());
    }
  }

  @Test
  void askingDoesNotAllocate() {
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY")) {
      QueueFixture.appendBlank(queue);
      com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long tid = Thread.currentThread().getId();
      long sum = 0;
      for (int i = 0; i < 1_000; i++) {
        sum += queue.lastIndex(); // warm up
      }
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 10_000; i++) {
        sum += queue.lastIndex();
      }
      long allocated = mx.getThreadAllocatedBytes(tid) - before;
      // Chronicle's lastIndex() builds a tailer per call: ~16 KB each, 160 MB for these calls.
      assertTrue(allocated < 64 * 1024, "10,000 calls allocated " + allocated + " bytes (sum " + sum + ")");
    }
  }
}

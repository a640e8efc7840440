package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;

/**
 * A request whose append finds the queue's write lock taken waits without burning the core that the lock's
 * holder, the flusher and MariaDB need (EventQueue.writeLockPauser), and its document still lands after the
 * holder's.
 */
class WriteLockWaitTest extends QueueDirTest {
  private static final long HOLD_MS = 400;

  @Test
  void aWriterBehindAHeldWriteLockSleepsInsteadOfSpinning() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY");
        // A second writer on the same directory: Chronicle's write lock lives in the shared metadata file, so
        // holding a document open here holds the lock that queue.append must take.
        SingleChronicleQueue holder = SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(RollCycles.TEN_MINUTELY).blockSize(EventQueue.BLOCK_SIZE).build()) {
      QueueFixture.appendBlank(queue);
      CountDownLatch held = new CountDownLatch(1);
      AtomicLong holderIndex = new AtomicLong();
      Thread holding = new Thread(() -> {
        ExcerptAppender appender = holder.createAppender();
        try (DocumentContext dc = appender.writingDocument()) {
          dc.wire().bytes().write(new byte[64]);
          held.countDown();
          sleep(HOLD_MS);
        }
        holderIndex.set(appender.lastIndexAppended());
      }, "lock-holder");
      AtomicLong waiterIndex = new AtomicLong();
      AtomicLong waiterCpuNanos = new AtomicLong();
      Thread waiting = new Thread(() -> {
        long cpu0 = mx.getCurrentThreadCpuTime();
        waiterIndex.set(QueueFixture.appendBlank(queue));
        waiterCpuNanos.set(mx.getCurrentThreadCpuTime() - cpu0);
      }, "waiting-writer");
      holding.start();
      assertTrue(held.await(10, TimeUnit.SECONDS), "the holder took the lock");
      long t0 = System.nanoTime();
      waiting.start();
      waiting.join();
      holding.join();
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(waitedMs >= HOLD_MS / 2, "the append waited for the lock (" + waitedMs + " ms)");
      assertEquals(holderIndex.get() + 1, waiterIndex.get(), "the waiting document comes right after the holder's");
      // Spinning and yielding for the whole hold, Chronicle's default pauser burns it all (~400 ms); sleeping
      // 20-200 us at a time costs a few ms.
      long cpuMs = TimeUnit.NANOSECONDS.toMillis(waiterCpuNanos.get());
      assertTrue(cpuMs < HOLD_MS / 4, "waiting " + waitedMs + " ms for the lock cost " + cpuMs + " ms of CPU");
    }
  }

  /**
   * Chronicle breaks a lock whose holder died (a kill -9 mid-append) when the waiter's pauser reports its timeout:
   * the sleeping pauser must still report it, or a dead holder would stall every append for good.
   */
  @Test
  void theSleepingPauserStillEndsAtTheLocksTimeout() {
    net.openhft.chronicle.threads.TimingPauser pauser = EventQueue.writeLockPauser();
    long t0 = System.nanoTime();
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertThrows(
        java.util.concurrent.TimeoutException.class, () -> {
          while (true) {
            pauser.pause(50, TimeUnit.MILLISECONDS);
          }
        }));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 50, "timed out after " + ms + " ms");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

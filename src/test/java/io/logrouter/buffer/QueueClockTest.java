package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queues' clock: the router's queue keeps the wall clock's time; the warm-up's scratch queue moves one cycle
 * ahead per step, and its appends and reads cross cycle files that often, losing and repeating nothing.
 */
class QueueClockTest {
  private static final long TEN_MINUTES = 600_000;

  @TempDir
  Path dir;

  @Test
  void theRoutersQueueClockIsTheWallClockAndNeverMoves() {
    AtomicLong wall = new AtomicLong(1_764_900_000_000L);
    QueueClock clock = new QueueClock(0, Long.MAX_VALUE, wall::get);
    assertEquals(1_764_900_000_000L, clock.currentTimeMillis());
    wall.addAndGet(TEN_MINUTES * 1_000_000);
    assertEquals(wall.get(), clock.currentTimeMillis(), "years later, still the wall clock's time");
    long now = System.currentTimeMillis();
    long read = QueueClock.wall().currentTimeMillis();
    assertTrue(read >= now && read - now < 1_000, "the shipped one reads the system clock: " + read + " vs " + now);
  }

  @Test
  void aSkippingClockMovesOneCyclePerStepAndRunsAtTheRealRateBetween() {
    AtomicLong wall = new AtomicLong(1_764_900_000_000L);
    QueueClock clock = new QueueClock(TEN_MINUTES, 500, wall::get);
    assertEquals(1_764_900_000_000L, clock.currentTimeMillis());
    wall.addAndGet(499);
    assertEquals(1_764_900_000_499L, clock.currentTimeMillis(), "no step yet");
    wall.addAndGet(1);
    assertEquals(1_764_900_000_500L + TEN_MINUTES, clock.currentTimeMillis(), "one step: one cycle ahead");
    wall.addAndGet(1_000);
    assertEquals(1_764_900_001_500L + 3 * TEN_MINUTES, clock.currentTimeMillis(), "three steps");
    assertThrows(IllegalArgumentException.class, () -> new QueueClock(TEN_MINUTES, 0, wall::get));
  }

  @Test
  void aScratchQueueRollingEveryStepCrossesCycleFilesAndEveryDocumentIsReadOnceInOrder() throws Exception {
    int documents = 0;
    try (EventQueue queue = EventQueue.openRollingEvery(dir, "TEN_MINUTELY", Duration.ofMillis(50))) {
      List<Long> indexes = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofMillis(400).toNanos();
      while (System.nanoTime() < until) {
        indexes.add(QueueFixture.append(queue, 1, 2, documents * 2).get(0).index());
        documents++;
        Thread.sleep(5);
      }
      long cycles = indexes.stream().map(i -> queue.rollCycle().toCycle(i)).distinct().count();
      assertTrue(cycles >= 4, "documents in " + cycles + " cycle files");
      try (Stream<Path> files = Files.list(dir)) {
        assertTrue(files.filter(f -> f.toString().endsWith(".cq4")).count() >= cycles, "a file each");
      }

      QueueReader reader = queue.createReader(Quarantine.DISCARD, System::nanoTime);
      reader.resumeAfter(-1);
      List<Long> read = new ArrayList<>();
      for (Batch batch = reader.next(Long.MAX_VALUE); !batch.readNothing(); batch = reader.next(Long.MAX_VALUE)) {
        batch.documentBytes().forEach(d -> read.add(d.index()));
        assertEquals(0, batch.damaged().size(), "nothing damaged");
      }
      reader.close();
      assertEquals(indexes, read, "every document, once, in order, across the files");
    }
  }
}

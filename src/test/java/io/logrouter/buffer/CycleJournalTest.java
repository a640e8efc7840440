package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of cycles that had documents, which lets a reader tell a missing cycle file from a quiet
 * cycle: every acknowledged document's cycle must be in it when append returns (a kill -9 may follow).
 */
class CycleJournalTest {
  @TempDir
  Path dir;

  @AfterEach
  void releaseQueueFiles() {
    BackgroundResourceReleaser.releasePendingResources();
  }

  @Test
  void eachCycleIsInTheJournalFileWhenItsFirstAppendReturns() throws Exception {
    SetTimeProvider clock = new SetTimeProvider(TimeUnit.MINUTES.toNanos(29_000_000L));
    List<String> late = new ArrayList<>();
    try (EventQueue queue = QueueFixture.open(dir, clock)) {
      for (int roll = 0; roll < 40; roll++) {
        long index = queue.append(new byte[] {1, 2, 3}, 0, 3);
        int cycle = queue.rollCycle().toCycle(index);
        // Read before anything else runs on this thread: Chronicle's background thread must not be what writes it.
        List<String> lines = Files.readAllLines(dir.resolve(CycleJournal.FILE_NAME), StandardCharsets.US_ASCII);
        if (!lines.contains(Integer.toString(cycle))) {
          late.add(cycle + " (journal: " + lines.size() + " lines)");
        }
        clock.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      }
    }
    assertEquals(List.of(), late, "cycles missing from the journal when their append returned");
    assertEquals(40, Files.readAllLines(dir.resolve(CycleJournal.FILE_NAME)).size(), "one line per cycle");
  }

  @Test
  void aQueueWithoutAJournalGetsItsExistingCyclesRecordedAtOpen() throws Exception {
    SetTimeProvider clock = new SetTimeProvider(TimeUnit.MINUTES.toNanos(29_000_000L));
    try (EventQueue queue = QueueFixture.open(dir, clock)) {
      for (int roll = 0; roll < 3; roll++) {
        queue.append(new byte[] {1}, 0, 1);
        clock.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      }
    }
    BackgroundResourceReleaser.releasePendingResources();
    Files.delete(dir.resolve(CycleJournal.FILE_NAME)); // as a queue written before the journal existed
    try (EventQueue reopened = QueueFixture.open(dir, clock)) {
      List<String> lines = Files.readAllLines(dir.resolve(CycleJournal.FILE_NAME));
      assertEquals(3, lines.size(), lines.toString());
      int first = Integer.parseInt(lines.get(0));
      assertTrue(reopened.journal().between(first, first + 2).contains(first + 1), lines.toString());
    }
  }
}

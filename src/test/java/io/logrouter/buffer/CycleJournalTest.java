package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;

/**
 * The journal of cycles that had documents, which lets a reader tell a missing cycle file from a quiet
 * cycle: every acknowledged document's cycle must be in it when append returns (a kill -9 may follow).
 */
class CycleJournalTest extends QueueDirTest {
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

  /** Damaged journal bytes never stop the queue: what parses is kept, and the cycles present are recorded again. */
  @Test
  void aDamagedJournalIsReadAroundAndTheQueueOpens() throws Exception {
    SetTimeProvider clock = new SetTimeProvider(TimeUnit.MINUTES.toNanos(29_000_000L));
    try (EventQueue queue = QueueFixture.open(dir, clock)) {
      queue.append(new byte[] {1}, 0, 1);
    }
    BackgroundResourceReleaser.releasePendingResources();
    Files.write(dir.resolve(CycleJournal.FILE_NAME), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, '7', '\n', (byte) 0x80},
        java.nio.file.StandardOpenOption.APPEND);
    clock.advanceMillis(TimeUnit.MINUTES.toMillis(20));
    try (EventQueue reopened = QueueFixture.open(dir, clock)) {
      long index = reopened.append(new byte[] {2}, 0, 1);
      int first = reopened.rollCycle().toCycle(index) - 2;
      assertTrue(reopened.journal().between(first - 1, first + 1).contains(first), "the first cycle is still known");
    }
  }

  /**
   * A journal that cannot be read or written (here a directory stands where the file should be) costs only the
   * missing-file check: appends go on, and each failure is one ERROR line, not one per append.
   */
  @Test
  void anUnwritableJournalIsOneErrorLineAndAppendsGoOn() throws Exception {
    Files.createDirectory(dir.resolve(CycleJournal.FILE_NAME));
    SetTimeProvider clock = new SetTimeProvider(TimeUnit.MINUTES.toNanos(29_000_000L));
    try (io.logrouter.testsupport.CapturedLogs logs = new io.logrouter.testsupport.CapturedLogs();
        EventQueue queue = QueueFixture.open(dir, clock)) {
      for (int i = 0; i < 1_000; i++) {
        queue.append(new byte[] {1, 2, 3}, 0, 3);
      }
      assertEquals(999, queue.lastIndex() - queue.rollCycle().toIndex(queue.rollCycle().toCycle(queue.lastIndex()), 0));
      List<String> errors = logs.at(ch.qos.logback.classic.Level.ERROR).stream()
          .map(e -> e.getFormattedMessage()).toList();
      assertEquals(2, errors.size(), "one for the read at open, one for the write: " + errors);
      assertTrue(errors.get(0).contains("cannot read") && errors.get(1).contains("cannot write"), errors.toString());
    }
  }
}

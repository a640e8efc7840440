package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's mapped pages leave the process's resident set when trimmed, on a real queue in a real file
 * system, and no document written or read around a trim changes: what makes trimming safe for a queue that
 * holds acknowledged events.
 */
class ResidentPagesTest {
  private static final long MB = 1 << 20;

  @TempDir
  Path dir;

  @BeforeEach
  void linuxOnly() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "needs Linux /proc/self/smaps");
  }

  @Test
  void aTrimDropsTheWrittenPagesFromTheResidentSetAndEveryDocumentReadsBackUnchanged() {
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY")) {
      ResidentPages pages = ResidentPages.of(dir);
      assertNotSame(ResidentPages.NONE, pages);
      int documents = 12_000;
      for (int i = 0; i < documents; i++) {
        append(queue, i, 4096);
      }
      long before = pages.residentBytes();
      assertTrue(before > 40 * MB, "48 MB just written is resident: " + before);

      assertTrue(pages.trim() > 0, "the queue's mappings were advised");
      long after = pages.residentBytes();
      assertTrue(after < 2 * MB, "resident after the trim: " + after + " bytes (before: " + before + ")");

      assertEquals(documents, readAllChecked(queue).size());
    }
  }

  @Test
  void appendsAndReadsRacingTrimsLoseAndChangeNothing() throws Exception {
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY")) {
      ResidentPages pages = ResidentPages.of(dir);
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread trimmer = new Thread(() -> {
        while (writing.get()) {
          pages.trim();
        }
      });
      trimmer.start();
      int perThread = 20_000;
      List<Thread> appenders = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int first = t * perThread;
        Thread a = new Thread(() -> {
          for (int i = first; i < first + perThread; i++) {
            append(queue, i, 1000 + i % 700);
          }
        });
        appenders.add(a);
        a.start();
      }
      for (Thread a : appenders) {
        a.join();
      }
      List<Long> ids = readAllChecked(queue);
      writing.set(false);
      trimmer.join();

      assertEquals(2 * perThread, ids.size());
      assertEquals(2 * perThread, ids.stream().distinct().count(), "each document once");
    }
  }

  @Test
  void theTrimmingThreadKeepsTheQueueOutOfTheResidentSetAndStopsWhenClosed() throws Exception {
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY")) {
      ResidentPages pages = ResidentPages.of(dir);
      try (ResidentPages.Trimming trimming = pages.trimEvery(Duration.ofMillis(20), 0, queue::touchedBytes)) {
        for (int i = 0; i < 8_000; i++) {
          append(queue, i, 4096);
        }
        Thread.sleep(200);
        assertTrue(pages.residentBytes() < 2 * MB, "32 MB written, resident: " + pages.residentBytes());
      }
      for (int i = 8_000; i < 16_000; i++) {
        append(queue, i, 4096);
      }
      Thread.sleep(200);
      assertTrue(pages.residentBytes() > 24 * MB, "after close nothing trims: " + pages.residentBytes());
      assertEquals(16_000, readAllChecked(queue).size());
    }
  }

  @Test
  void aTrimThatThrowsIsLoggedAsAnErrorAndCountedOnceAndTrimmingStops() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ResidentPages failing = standIn(calls, () -> {
      throw new IllegalStateException("injected: /proc/self/maps unreadable");
    });
    long failuresBefore = io.logrouter.threads.RouterThreads.failures();
    try (io.logrouter.testsupport.CapturedLogs logs = new io.logrouter.testsupport.CapturedLogs();
        ResidentPages.Trimming trimming = failing.trimEvery(Duration.ofMillis(10), 0, () -> 0)) {
      Thread.sleep(300);
      assertEquals(1, calls.get(), "no trim after the one that failed");
      assertEquals(1, logs.at(ch.qos.logback.classic.Level.ERROR).size(), "one ERROR line");
      assertTrue(logs.has(ch.qos.logback.classic.Level.ERROR, "queue page trim (stopped"));
      assertEquals(failuresBefore + 1, io.logrouter.threads.RouterThreads.failures(),
          "counted in logrouter_thread_failures_total");
    }
  }

  /**
   * An idle queue is not trimmed ten times a second for nothing: while nothing is appended or read, nine
   * trims in ten are skipped; once bytes move, every interval trims again.
   */
  @Test
  void trimsAreSkippedWhileTheQueueIsIdleAndResumeWithActivity() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ResidentPages counting = standIn(calls, () -> 0);
    java.util.concurrent.atomic.AtomicLong touched = new java.util.concurrent.atomic.AtomicLong();
    try (ResidentPages.Trimming trimming = counting.trimEvery(Duration.ofMillis(10), 0, touched::get)) {
      Thread.sleep(600); // ~60 intervals
      int idle = calls.get();
      assertTrue(idle >= 1 && idle <= 12, "trims in 60 idle intervals: " + idle);
      long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(400);
      while (System.nanoTime() < end) {
        touched.addAndGet(100); // appends or reads going on
        Thread.sleep(2);
      }
      int busy = calls.get() - idle;
      assertTrue(busy >= 10, "trims in ~40 busy intervals: " + busy);
    }
  }

  /**
   * Under heavy ingest the queue's share of RSS follows the bytes, not the clock: with an hour's interval, a
   * trim still comes once 4 MB have been appended, and the 12 MB written stay out of the resident set.
   */
  @Test
  void bytesAppendedPastTheTrimSizeTrimWithoutWaitingForTheInterval() throws Exception {
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY")) {
      ResidentPages pages = ResidentPages.of(dir);
      try (ResidentPages.Trimming trimming = pages.trimEvery(Duration.ofHours(1), 4 * MB, queue::touchedBytes)) {
        Thread.sleep(50); // the first check trims at once; from then on only bytes can make a trim due
        for (int i = 0; i < 3_000; i++) {
          append(queue, i, 4096);
        }
        Thread.sleep(200);
        long resident = pages.residentBytes();
        assertTrue(resident < 6 * MB, "12 MB written in 4 MB steps, resident: " + resident);
      }
      assertEquals(3_000, readAllChecked(queue).size());
    }
  }

  /** The schedule alone, on a clock the test moves: when each trigger makes a trim due, and what resets them. */
  @Test
  void aTrimIsDueOnBytesOnTheIntervalWithBytesOrAfterTenIdleIntervals() {
    java.util.concurrent.atomic.AtomicLong touched = new java.util.concurrent.atomic.AtomicLong();
    long ms = 1_000_000L;
    ResidentPages.TrimSchedule schedule = new ResidentPages.TrimSchedule(100 * ms, 1000, touched::get);
    assertEquals(10 * ms, schedule.checkNanos(), "bytes are checked every 10 ms");
    assertTrue(schedule.due(0), "the first check trims");
    assertTrue(!schedule.due(5 * ms), "nothing touched, interval not over");
    touched.set(999);
    assertTrue(!schedule.due(50 * ms), "999 bytes of 1000, 50 ms of 100");
    touched.set(1000);
    assertTrue(schedule.due(60 * ms), "1000 bytes: due before the interval");
    touched.set(1500);
    assertTrue(!schedule.due(159 * ms), "500 bytes since, 99 ms since");
    assertTrue(schedule.due(160 * ms), "the interval passed with bytes touched");
    assertTrue(!schedule.due(900 * ms), "idle for 7.4 intervals");
    assertTrue(schedule.due(1160 * ms), "idle for ten intervals: trims anyway");

    ResidentPages.TrimSchedule byTime = new ResidentPages.TrimSchedule(100 * ms, 0, touched::get);
    assertEquals(100 * ms, byTime.checkNanos(), "0 bytes: checked by time only");
    assertTrue(byTime.due(0));
    touched.addAndGet(1L << 40);
    assertTrue(!byTime.due(99 * ms), "no byte trigger with 0");
    assertTrue(byTime.due(100 * ms));
  }

  /** Stands in for the kernel: each trim is counted in {@code calls}, then does what {@code trim} does. */
  private ResidentPages standIn(java.util.concurrent.atomic.AtomicInteger calls, java.util.function.LongSupplier trim) {
    return new ResidentPages(dir + "/") {
      @Override
      public long trim() {
        calls.incrementAndGet();
        return trim.getAsLong();
      }
    };
  }

  /** A document of {@code length} bytes: its id, then bytes that depend on the id and the position. */
  private static void append(EventQueue queue, long id, int length) {
    byte[] doc = new byte[length];
    ByteBuffer.wrap(doc).putLong(id);
    for (int j = 8; j < length; j++) {
      doc[j] = (byte) (id * 31 + j);
    }
    try {
      queue.append(doc, 0, length);
    } catch (DocumentTooLargeException e) {
      throw new AssertionError(e);
    }
  }

  /** Every document's id, in queue order, after checking each byte against what was appended. */
  private static List<Long> readAllChecked(EventQueue queue) {
    List<Long> ids = new ArrayList<>();
    try (ExcerptTailer tailer = queue.createTailer()) {
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            return ids;
          }
          Bytes<?> b = dc.wire().bytes();
          byte[] doc = new byte[(int) b.readRemaining()];
          b.read(doc);
          long id = ByteBuffer.wrap(doc).getLong();
          for (int j = 8; j < doc.length; j++) {
            assertEquals((byte) (id * 31 + j), doc[j], "document " + id + " byte " + j);
          }
          ids.add(id);
        }
      }
    }
  }
}

package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.event.LogEvent;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flusher's pattern over real queue files, with the prefetch thread reading ahead: take a batch,
 * hold it while the next ones are copied (into reused segments), read its bytes, commit, release. A
 * segment reused before its documents were committed would hand the held batch other events' bytes.
 */
class SegmentReuseTest {
  private static final int DOCUMENTS = 400;
  private static final int EVENTS_PER_DOCUMENT = 1_000; // ~70 KB a document, ~28 MB in all

  @TempDir
  Path dir;

  @Test
  void aHeldBatchKeepsItsBytesWhileLaterOnesAreReadIntoReusedSegments() throws Exception {
    readAllChecked(0);
  }

  /**
   * As after a flusher restart (a thread that threw): batches read ahead are dropped uncommitted and
   * reading resumes after the committed index, so lower indices are copied again after higher ones. The
   * segments holding the dropped documents must not be reused before those indices are committed anew.
   */
  @Test
  void afterAResumeTheReReadBatchesKeepTheirBytes() throws Exception {
    readAllChecked(5);
  }

  /**
   * Reads every event in order, each batch held while the prefetch thread fills its 4 MB ahead, then
   * commits it; {@code restarts} times along the way, a batch is dropped instead and reading resumes
   * after the last commit.
   */
  private void readAllChecked(int restarts) throws Exception {
    long tenMinutes = TimeUnit.MINUTES.toMillis(10);
    SetTimeProvider time = new SetTimeProvider(
        TimeUnit.MILLISECONDS.toNanos((System.currentTimeMillis() / tenMinutes - 5) * tenMinutes));
    int total = DOCUMENTS * EVENTS_PER_DOCUMENT;
    try (EventQueue queue = QueueFixture.open(dir, time)) {
      QueueFixture.append(queue, DOCUMENTS, EVENTS_PER_DOCUMENT, 0);
      BatchSource lane = queue.createLaneReaders(1, Quarantine.DISCARD, System::nanoTime).get(0);
      try (PrefetchingSource source = new PrefetchingSource(lane, 4L << 20, "test-prefetch", bytes -> false)) {
        source.resumeAfter(-1);
        int seq = 0;
        long committed = -1;
        int committedSeq = 0;
        int restarted = 0;
        while (seq < total) {
          Batch batch = source.next(2L << 20);
          Thread.sleep(20);
          for (LogEvent e : batch.events()) {
            assertEquals("{\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(40) + "\"}", e.attributes(), "event " + seq);
            seq++;
          }
          if (restarted < restarts && seq > (restarted + 1) * total / (restarts + 1)) {
            restarted++;
            source.resumeAfter(committed); // this batch is dropped, not committed
            seq = committedSeq;
            continue;
          }
          committed = batch.passedTo();
          committedSeq = seq;
          source.release(committed);
        }
        assertEquals(total, seq);
        assertEquals(restarts, restarted);
      }
    }
  }
}

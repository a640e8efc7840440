package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cycle files are deleted once everything in them is committed, and reading resumes correctly. */
class CycleFilesTest {
  @TempDir
  Path dir;

  private static int cq4Files(Path dir) {
    File[] files = dir.toFile().listFiles((d, n) -> n.endsWith(".cq4"));
    return files == null ? 0 : files.length;
  }

  @Test
  void filesBeforeTheCommittedCycleAreDeletedAndTheRestStaysReadable() throws Exception {
    SetTimeProvider time = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
    List<Long> indexes = new ArrayList<>();
    try (EventQueue queue = EventQueue.open(dir, "TEN_MINUTELY", time)) {
      for (int cycle = 0; cycle < 4; cycle++) {
        byte[] doc = ("doc-" + cycle).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        indexes.add(queue.append(doc, 0, doc.length));
        time.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      }
      assertEquals(4, cq4Files(dir));
      CycleFiles files = new CycleFiles(queue);
      assertEquals(2, files.deleteCommittedBefore(indexes.get(2)), "cycles 0 and 1 are fully committed");
      assertEquals(2, cq4Files(dir));
      assertEquals(0, files.deleteCommittedBefore(indexes.get(2)), "idempotent");
      try (ExcerptTailer tailer = queue.createTailer()) {
        QueuePosition.resumeAfter(tailer, indexes.get(1));
        try (DocumentContext dc = tailer.readingDocument()) {
          assertTrue(dc.isPresent());
          assertEquals(indexes.get(2), dc.index(), "resumes after an index whose file is gone");
        }
      }
    }
  }
}

package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.buffer.QueueFixture.Doc;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flush lanes' readers over real queue files: each document goes to exactly one lane, each lane reads up
 * to the queue's end (passing over the others' documents), files go only below the lowest lane, and the
 * check of a lane-count change finds the first document an old lane has not committed.
 */
class LaneReadersTest {
  @TempDir
  Path dir;

  private static SetTimeProvider clock() {
    long tenMinutes = TimeUnit.MINUTES.toMillis(10);
    return new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos((System.currentTimeMillis() / tenMinutes - 5) * tenMinutes));
  }

  @Test
  void everyDocumentGoesToExactlyOneLaneByItsPositionInTheCycleFile() {
    SetTimeProvider time = clock();
    try (EventQueue queue = QueueFixture.open(dir, time)) {
      List<Doc> docs = new ArrayList<>(QueueFixture.append(queue, 10, 1, 0));
      time.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      docs.addAll(QueueFixture.append(queue, 2, 1, 10)); // a new cycle file with fewer documents than lanes
      List<BatchSource> lanes = queue.createLaneReaders(3, Quarantine.DISCARD, System::nanoTime);
      Map<Long, Integer> owner = new HashMap<>();
      for (int lane = 0; lane < 3; lane++) {
        BatchSource reader = lanes.get(lane);
        reader.resumeAfter(-1);
        Batch batch = reader.next(Long.MAX_VALUE);
        for (Batch.Document d : batch.documentBytes()) {
          assertEquals(null, owner.put(d.index(), lane), "document " + Long.toHexString(d.index()) + " read twice");
        }
        assertEquals(queue.lastIndex(), batch.passedTo(), "lane " + lane + " read to the queue's end");
        reader.close();
      }
      assertEquals(docs.size(), owner.size(), "every document read");
      for (int i = 0; i < docs.size(); i++) {
        int sequenceInFile = i < 10 ? i : i - 10;
        assertEquals(sequenceInFile % 3, owner.get(docs.get(i).index()), "owner of document " + i);
      }
    }
  }

  @Test
  void eachLaneCountsItsOwnBacklogExactlyWithinAFile() {
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      List<Doc> docs = QueueFixture.append(queue, 10, 1, 0);
      List<BatchSource> lanes = queue.createLaneReaders(3, Quarantine.DISCARD, System::nanoTime);
      assertEquals(List.of(4L, 3L, 3L), lanes.stream().map(l -> l.documentsAfter(-1)).toList(), "0,3,6,9 / 1,4,7 / 2,5,8");
      long afterFourth = docs.get(4).index();
      assertEquals(List.of(2L, 1L, 2L), lanes.stream().map(l -> l.documentsAfter(afterFourth)).toList(), "6,9 / 7 / 5,8");
    }
  }

  @Test
  void cycleFilesGoOnlyOnceTheSlowestLaneHasCommittedPastThem() {
    SetTimeProvider time = clock();
    try (EventQueue queue = QueueFixture.open(dir, time)) {
      List<Doc> docs = new ArrayList<>();
      for (int cycle = 0; cycle < 3; cycle++) {
        docs.addAll(QueueFixture.append(queue, 4, 1, cycle * 4));
        time.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      }
      List<BatchSource> lanes = queue.createLaneReaders(2, Quarantine.DISCARD, System::nanoTime);
      lanes.forEach(l -> l.resumeAfter(-1));
      lanes.get(0).release(docs.get(10).index()); // lane 0 is in the third file
      assertEquals(3, cq4Files(), "lane 1 has committed nothing: every file stays");
      lanes.get(1).release(docs.get(5).index()); // lane 1 is in the second file
      assertEquals(2, cq4Files(), "the first file goes, the second stays for lane 1");
      lanes.get(1).release(docs.get(11).index());
      assertEquals(1, cq4Files(), "both lanes are in the third file");
      lanes.forEach(BatchSource::close);
    }
  }

  @Test
  void aLaneCountChangeWaitsForTheFirstDocumentAnOldLaneHasNotCommitted() {
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      List<Doc> docs = QueueFixture.append(queue, 8, 1, 0);
      long last = docs.get(7).index();
      // Two old lanes: lane 0 owns documents 0, 2, 4, 6; lane 1 owns 1, 3, 5, 7.
      assertEquals(-1, queue.firstUncommitted(new long[] {docs.get(6).index(), docs.get(7).index()}, last));
      assertEquals(docs.get(5).index(),
          queue.firstUncommitted(new long[] {docs.get(6).index(), docs.get(3).index()}, last), "lane 1 lags");
      assertEquals(-1, queue.firstUncommitted(new long[] {docs.get(4).index(), docs.get(5).index()},
          docs.get(5).index()), "documents after the start belong to the new layout");
      assertEquals(docs.get(0).index(), queue.firstUncommitted(new long[] {-1, docs.get(7).index()}, last));
    }
  }

  private int cq4Files() {
    File[] files = dir.toFile().listFiles((d, n) -> n.endsWith(".cq4"));
    return files == null ? 0 : files.length;
  }
}

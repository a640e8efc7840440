package io.logrouter.scratch;

import java.io.RandomAccessFile;
import java.io.File;
import java.nio.file.*;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.*;
import net.openhft.chronicle.queue.impl.single.*;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;

class ChronicleDamageProbeTest {
  @Test
  void probe() throws Exception {
    for (int spacing : new int[] {0, 1}) {
      Path dir = Files.createTempDirectory("probe");
      SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(RollCycles.TEN_MINUTELY).blockSize(64L<<20);
      if (spacing > 0) b.indexSpacing(spacing);
      long[] pos = new long[40];
      long[] idx = new long[40];
      try (SingleChronicleQueue q = b.build(); ExcerptAppender a = q.createAppender()) {
        System.out.println("spacing " + q.indexSpacing() + " count " + q.indexCount());
        for (int i = 0; i < 40; i++) {
          try (DocumentContext dc = a.writingDocument()) {
            pos[i] = dc.wire().bytes().writePosition();
            dc.wire().bytes().writeInt(i);
            dc.wire().bytes().write(new byte[100]);
          }
          idx[i] = a.lastIndexAppended();
        }
      }
      File f = dir.toFile().listFiles((d, n) -> n.endsWith(".cq4"))[0];
      try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
        raf.seek(pos[20] - 4 - 20);
        raf.write(new byte[] {-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1});
      }
      try (SingleChronicleQueue q = b.build(); ExcerptTailer t = q.createTailer()) {
        System.out.println("lastIndex " + Long.toHexString(q.lastIndex()) + " idx39 " + Long.toHexString(idx[39]) + " excerptsInCycle " + t.excerptsInCycle(q.lastCycle()));
        int n = 0;
        while (true) {
          try (DocumentContext dc = t.readingDocument()) {
            if (!dc.isPresent()) { System.out.println("stuck at " + Long.toHexString(t.index()) + " after " + n + " state " + t.state()); break; }
            n++;
          }
        }
        for (int k = 20; k < 40; k++) {
          ExcerptTailer t2 = q.createTailer();
          boolean ok = t2.moveToIndex(idx[k]);
          System.out.println("state " + t2.state());
          String got = "-";
          if (ok) {
            try (DocumentContext dc = t2.readingDocument()) { got = dc.isPresent() ? "" + dc.wire().bytes().readInt() : "np"; }
          }
          System.out.println("spacing " + spacing + " moveTo " + k + " -> " + ok + " read " + got);
        }
      }
    }
  }
}

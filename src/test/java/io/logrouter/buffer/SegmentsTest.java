package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A segment's bytes are overwritten only after every document copied into it is committed: before
 * that, a batch being loaded (or read ahead) still refers to them, and reusing the segment would put
 * other events' bytes into its rows.
 */
class SegmentsTest {
  private static final int HALF = Segments.SEGMENT_BYTES / 2;

  @Test
  void aFullSegmentIsReusedOnlyOnceItsLastDocumentIsCommitted() {
    Segments segments = new Segments();
    byte[] first = fill(segments, 0);          // documents 0, 1
    byte[] second = fill(segments, 2);         // 2, 3: the first is retired, not committed
    assertNotSame(first, second);
    segments.committed(0);                     // document 1 still in use
    byte[] third = fill(segments, 4);
    assertNotSame(first, third, "reused while document 1 was in flight");
    segments.committed(1);
    byte[] fourth = fill(segments, 6);
    assertSame(first, fourth, "committed through its last document: reused");
    segments.committed(7);
    assertSame(second, fill(segments, 8), "oldest first");
    assertSame(third, fill(segments, 10));
  }

  /** After a resume, lower indices are copied after higher ones into the same segment: the highest decides. */
  @Test
  void aSegmentWaitsForTheHighestIndexCopiedIntoItNotTheLast() {
    Segments segments = new Segments();
    byte[] first = segments.reserve(HALF);
    segments.keep(9, HALF);                    // read ahead, then dropped by a resume after 4
    segments.reserve(HALF);
    segments.keep(5, HALF);                    // read again: the segment is full, its highest index 9
    segments.committed(8);
    fill(segments, 10);
    byte[] next = fill(segments, 12);
    assertNotSame(first, next, "document 9 was not committed");
    segments.committed(9);
    assertSame(first, fill(segments, 14));
  }

  @Test
  void aDocumentLargerThanASegmentGetsAnArrayOfItsOwnThatIsNeverReused() {
    Segments segments = new Segments();
    byte[] big = segments.reserve(Segments.SEGMENT_BYTES + 1);
    assertEquals(Segments.SEGMENT_BYTES + 1, big.length);
    segments.keep(0, big.length);
    segments.committed(0);
    byte[] next = fill(segments, 1);
    assertNotSame(big, next);
    assertEquals(Segments.SEGMENT_BYTES, next.length);
  }

  @Test
  void atMostMaxRetiredSegmentsAreKept() {
    Segments segments = new Segments();
    List<byte[]> used = new ArrayList<>();
    long index = 0;
    for (int i = 0; i < Segments.MAX_RETIRED + 5; i++, index += 2) {
      used.add(fill(segments, index));
    }
    segments.committed(index); // the bound was reached: the last few segments were not kept
    for (int i = 0; i < Segments.MAX_RETIRED; i++) {
      index += 2;
      assertSame(used.get(i), fill(segments, index), "segment " + i);
    }
    index += 2;
    byte[] fresh = fill(segments, index);
    for (byte[] old : used) {
      assertNotSame(old, fresh);
    }
  }

  /** An offline reader (queue dump) never commits: a full segment is left to the heap, not kept. */
  @Test
  void withoutReuseNoSegmentIsKept() {
    Segments segments = Segments.withoutReuse();
    byte[] first = fill(segments, 0);
    segments.committed(1);
    assertNotSame(first, fill(segments, 2));
    assertNotSame(first, fill(segments, 4));
  }

  /** Copies two half-segment documents, {@code index} and {@code index + 1}: one segment's worth. */
  private static byte[] fill(Segments segments, long index) {
    byte[] segment = segments.reserve(HALF);
    assertEquals(0, segments.used(), "a segment starts empty");
    segments.keep(index, HALF);
    assertSame(segment, segments.reserve(HALF));
    segments.keep(index + 1, HALF);
    return segment;
  }
}

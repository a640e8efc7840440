package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleParkTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  /** 10 MB batches: a look that took in less than 40,960 bytes is a trickle. */
  private final FlushPolicy policy = new FlushPolicy(10L << 20, Duration.ofSeconds(30));
  private final IdlePark park = new IdlePark(policy);

  @Test
  void aQuietQueueIsLookedAtLessOftenUpTo32Ms() {
    long[] parks = new long[7];
    for (int i = 0; i < parks.length; i++) {
      parks[i] = park.next(false, 0, false, 0);
    }
    assertEquals("[4, 8, 16, 32, 32, 32, 32]", millis(parks));
  }

  @Test
  void documentsStreamingInAreLookedAtEvery2Ms() {
    for (int i = 0; i < 5; i++) {
      park.next(false, 0, false, 0);
    }
    long read = 0;
    long[] parks = new long[3];
    for (int i = 0; i < parks.length; i++) {
      read += 64 * 1024; // more than 1/256 of flush.max.bytes since the last look
      parks[i] = park.next(false, read, true, 30_000 * MS);
    }
    assertEquals("[2, 2, 2]", millis(parks));
  }

  @Test
  void aTrickleStillBacksOff() {
    long read = 0;
    long[] parks = new long[3];
    for (int i = 0; i < parks.length; i++) {
      read += 8 * 1024; // 1,000 single events in a 32 ms look
      parks[i] = park.next(false, read, true, 30_000 * MS);
    }
    assertEquals("[4, 8, 16]", millis(parks));
  }

  @Test
  void anUrgentLookOrAFlushStartsOverAt2Ms() {
    for (int i = 0; i < 5; i++) {
      park.next(false, 0, false, 0);
    }
    assertEquals(2 * MS, park.next(true, 0, false, 0));
    for (int i = 0; i < 5; i++) {
      park.next(false, 0, false, 0);
    }
    park.reset();
    assertEquals(4 * MS, park.next(false, 0, false, 0), "doubles from 2 ms again");
  }

  @Test
  void aWaitingBatchIsNeverParkedPastItsInterval() {
    for (int i = 0; i < 5; i++) {
      park.next(false, 0, false, 0);
    }
    assertEquals(5 * MS, park.next(false, 0, true, 5 * MS), "the interval is due in 5 ms");
    assertEquals(2 * MS, park.next(false, 0, true, 0), "due now: the shortest park, not a spin");
    assertEquals(32 * MS, park.next(false, 0, false, 0), "no batch waits: the interval does not bound it");
  }

  private static String millis(long[] nanos) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < nanos.length; i++) {
      s.append(i == 0 ? "" : ", ").append(nanos[i] / MS);
    }
    return s.append(']').toString();
  }
}

package io.logrouter.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The yield rule on a stub clock and a counting yield: once per 0.25 ms of work, never when work is instant. */
class CoreYieldTest {
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger yields = new AtomicInteger();
  private final CoreYield coreYield = new CoreYield(nanos::get, yields::incrementAndGet);

  private void work(int ticks, long nanosEach) {
    for (int i = 0; i < ticks; i++) {
      nanos.addAndGet(nanosEach);
      coreYield.tick();
    }
  }

  @Test
  void slowWorkYieldsAtEveryLookPastTheSlice() {
    work(6_400, 5_000); // 64 ticks = 320 us per look, past the 250 us slice each time
    assertEquals(100, yields.get());
  }

  @Test
  void fastWorkYieldsOncePerSlice() {
    work(25_600, 1_000); // 64 us per look: the slice is used up every 4th look, 25.6 ms in all
    assertEquals(100, yields.get());
  }

  @Test
  void instantWorkNeverYields() {
    work(100_000, 0);
    assertEquals(0, yields.get());
  }

  @Test
  void aRestartBeginsANewSlice() {
    work(63, 100_000); // 6.3 ms of work, but no look yet
    nanos.addAndGet(1_000_000); // off the core, blocked in a write
    coreYield.restart();
    work(64, 1_000); // the first look: 64 us into the new slice
    assertEquals(0, yields.get());
  }
}

package io.logrouter.client;

import static io.logrouter.client.Clients.awaitTrue;
import static io.logrouter.client.Clients.fast;
import static io.logrouter.client.Clients.log;
import static io.logrouter.client.Clients.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.client.metrics.ClientCounters.DropReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Full buffer (drop / block), stop flushing, no thread left behind. */
class BufferAndStopTest {

  @Test
  void dropModeNeverWaitsAndCountsEveryDropExactly() {
    int port = StubRouter.freePort(); // nothing listens: the router is down
    try (StubRouter router = StubRouter.onPort(port)) {
      ClientConfig cfg = fast(router.url()).set(ClientOption.BUFFER_BYTES, 64 * 1024).build();
      int n = 20_000;
      long[] nanos = new long[n];
      List<Long> accepted = new ArrayList<>();
      try (LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE)) {
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          boolean ok = log(c, i);
          nanos[i] = System.nanoTime() - t0;
          if (ok) {
            accepted.add((long) i);
          }
        }
        long dropped = c.counters().dropped(DropReason.BUFFER_FULL);
        assertTrue(dropped > 0, "a 64 KB buffer cannot hold 20,000 events");
        assertEquals(n - accepted.size(), dropped, "every refused event is counted, no more");
        Arrays.sort(nanos);
        // Reported, not asserted (speed is for the benchmarks): what the app thread paid.
        System.out.printf("overflow=drop, router down: per call median %d ns, p99 %d ns, max %d ns%n",
            nanos[n / 2], nanos[n * 99 / 100], nanos[n - 1]);
        router.up();
        awaitTrue(() -> c.counters().sentEvents() == accepted.size(), 15_000, "buffered events sent once the router is up");
      }
      assertEquals(accepted, seqs(router.acceptedLines()), "exactly the accepted events, in order");
    }
  }

  @Test
  void blockModeWaitsAtMostBlockMaxWaitThenDropsAndCounts() {
    int port = StubRouter.freePort();
    ClientConfig cfg = fast("http://127.0.0.1:" + port + "/log").set(ClientOption.BUFFER_BYTES, 4096)
        .set(ClientOption.OVERFLOW, "block").set(ClientOption.BLOCK_MAX_WAIT_MS, 300)
        .set(ClientOption.SHUTDOWN_TIMEOUT_MS, 200).build();
    try (LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE)) {
      int i = 0;
      while (c.bufferBytes() < 3500) { // fill the buffer; the sender holds at most one batch out of it
        log(c, i++);
      }
      long t0 = System.nanoTime();
      int blocked = 0;
      while (blocked < 3) {
        long s = System.nanoTime();
        boolean ok = log(c, i++);
        long waited = System.nanoTime() - s;
        if (!ok) {
          blocked++;
          assertTrue(waited >= 250_000_000L, "waited for room: " + waited / 1_000_000 + " ms");
          assertTrue(waited < 3_000_000_000L, "bounded by blockMaxWaitMs: " + waited / 1_000_000 + " ms");
        }
        if (System.nanoTime() - t0 > 20_000_000_000L) {
          throw new AssertionError("never blocked");
        }
      }
      assertEquals(3, c.counters().dropped(DropReason.BLOCK_TIMEOUT));
      assertEquals(0, c.counters().dropped(DropReason.BUFFER_FULL));
    }
  }

  @Test
  void closeFlushesWhatIsBufferedEvenWithALongLinger() {
    try (StubRouter router = StubRouter.start()) {
      ClientConfig cfg = fast(router.url()).set(ClientOption.LINGER_MS, 60_000)
          .set(ClientOption.BATCH_MAX_EVENTS, 100_000).build();
      LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE);
      for (int i = 0; i < 1000; i++) {
        log(c, i);
      }
      c.close();
      assertEquals(1000, router.acceptedLines().size(), "flushed by close()");
      assertEquals(1000, c.counters().sentEvents());
    }
  }

  @Test
  void closeIsBoundedWhenNoRouterAnswersAndCountsWhatItDrops() {
    int port = StubRouter.freePort();
    ClientConfig cfg = fast("http://127.0.0.1:" + port + "/log").set(ClientOption.SHUTDOWN_TIMEOUT_MS, 500).build();
    LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE);
    for (int i = 0; i < 100; i++) {
      log(c, i);
    }
    long t0 = System.nanoTime();
    c.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 5_000, "close took " + ms + " ms");
    assertEquals(100, c.counters().dropped(DropReason.SHUTDOWN));
  }

  @Test
  void noThreadIsLeftAfterClose() {
    try (StubRouter router = StubRouter.start()) {
      Thread.getAllStackTraces(); // warm up JDK-internal threads before counting
      int before = liveThreads("");
      for (int round = 0; round < 5; round++) {
        LogRouterClient c = new LogRouterClient(fast(router.url()).set(ClientOption.NAME, "leak-" + round).build(), StatusSink.NONE);
        for (int i = 0; i < 100; i++) {
          log(c, i);
        }
        c.close();
      }
      assertEquals(0, liveThreads("log-router-"), "sender threads all gone");
      // The JDK's keep-alive cache may own one timer thread of its own; our rounds add nothing.
      assertTrue(liveThreads("") <= before + 1, "threads before " + before + ", after " + liveThreads(""));
      assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("log-router-")));
    }
  }

  private static int liveThreads(String prefix) {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive).filter(t -> t.getName().startsWith(prefix)).count();
  }
}

package io.logrouter.client;

import static io.logrouter.client.Clients.awaitTrue;
import static io.logrouter.client.Clients.fast;
import static io.logrouter.client.Clients.log;
import static io.logrouter.client.Clients.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.client.metrics.ClientCounters.DropReason;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
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
      List<Long> landed = seqs(router.acceptedLines());
      landed.sort(null); // two requests in flight (the default): batches may land out of order
      assertEquals(accepted, landed, "exactly the accepted events, once each");
    }
  }

  /**
   * The appenders' path while the buffer is full: each call is dropped before capture, and the
   * "buffer full" warning comes once per interval, with the number dropped so far.
   */
  @Test
  void aFullBufferWarnsOncePerIntervalWithTheCountDropped() throws InterruptedException {
    int port = StubRouter.freePort(); // nothing listens: the router is down
    List<String> warnings = new CopyOnWriteArrayList<>();
    ClientConfig cfg = fast("http://127.0.0.1:" + port + "/log").set(ClientOption.BUFFER_BYTES, 4096)
        .set(ClientOption.WARN_INTERVAL_MS, 1000).set(ClientOption.MAX_IN_FLIGHT, 1).set(ClientOption.SHUTDOWN_TIMEOUT_MS, 200).build();
    try (LogRouterClient c = new LogRouterClient(cfg, (m, e) -> {
      if (m.contains("buffer full")) {
        warnings.add(m);
      }
    })) {
      int seq = fillUntilADrop(c, 0);
      assertEquals(1, warnings.size(), "the drop that filled the buffer warns at once: " + warnings);
      assertTrue(warnings.get(0).contains("(buffer_full), 1 dropped so far"), warnings.get(0));
      awaitTrue(() -> c.counters().retries() > 0, 10_000, "the sender holds its batch and retries it");
      fillUntilADrop(c, seq); // what the sender took is filled again: the buffer stays full from here
      for (int k = 0; k < 10_000; k++) {
        assertTrue(c.droppedBeforeCapture(), "still full");
      }
      assertEquals(1, warnings.size(), "no second warning within the interval: " + warnings);
      Thread.sleep(1100);
      int more = 0;
      while (warnings.size() < 2) {
        assertTrue(c.droppedBeforeCapture(), "still full");
        assertTrue(++more < 1_000_000, "no warning after the interval");
      }
      long dropped = c.counters().dropped(DropReason.BUFFER_FULL);
      assertTrue(warnings.get(1).contains("(buffer_full), " + dropped + " dropped so far"), warnings.get(1));
      assertTrue(dropped > 10_000, "every drop counted: " + dropped);
    }
  }

  private static int fillUntilADrop(LogRouterClient c, int seq) {
    long before = c.counters().dropped(DropReason.BUFFER_FULL);
    while (c.counters().dropped(DropReason.BUFFER_FULL) == before) {
      log(c, seq++);
    }
    return seq;
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
  void aBlockedProducerSleepsUntilTheSenderFreesRoomThenResumes() throws Exception {
    int port = StubRouter.freePort();
    try (StubRouter router = StubRouter.onPort(port)) {
      ClientConfig cfg = fast(router.url()).set(ClientOption.BUFFER_BYTES, 4096)
          .set(ClientOption.OVERFLOW, "block").set(ClientOption.BLOCK_MAX_WAIT_MS, 60_000)
          .set(ClientOption.MAX_IN_FLIGHT, 1) // one sender holding one batch: the rest must wait
          // A small batch: with the default 5,000 the sender's first batch took all 300 events within its
          // linger on a quiet machine, so the producer never had to wait and the test could not show it.
          .set(ClientOption.BATCH_MAX_EVENTS, 20).build();
      try (LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE)) {
        int n = 300; // far more than 4 KB holds while the router is down
        Thread producer = new Thread(() -> {
          for (int i = 0; i < n; i++) {
            log(c, i);
          }
        }, "blocked-producer");
        producer.start();
        awaitTrue(() -> producer.getState() == Thread.State.TIMED_WAITING, 10_000, "the producer blocks for room");
        // Blocked means parked until woken, not polling: over a second it uses (almost) no CPU.
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getThreadCpuTime(producer.getId());
        Thread.sleep(1000);
        long cpuNanos = mx.getThreadCpuTime(producer.getId()) - cpu0;
        assertTrue(producer.isAlive(), "still blocked: the router is down");
        assertTrue(cpuNanos < 5_000_000L, "a blocked producer spun: " + cpuNanos / 1000 + " µs CPU in 1 s");
        router.up(); // the sender's batch goes out, it takes the next one: room frees, the producer wakes
        producer.join(20_000);
        assertFalse(producer.isAlive(), "resumed once room was freed");
        awaitTrue(() -> c.counters().sentEvents() == n, 15_000, "all sent");
        assertEquals(0, c.counters().droppedTotal(), "nothing waited out blockMaxWaitMs");
      }
      assertEquals(LongStream.range(0, 300).boxed().toList(), seqs(router.acceptedLines()));
    }
  }

  @Test
  void countersStayExactWithManyThreadsDroppingAndEventsFailingAtCaptureAndAtEncoding() throws Exception {
    int port = StubRouter.freePort();
    try (StubRouter router = StubRouter.onPort(port)) {
      ClientConfig cfg = fast(router.url()).set(ClientOption.BUFFER_BYTES, 32 * 1024).build();
      int threads = 4;
      int perThread = 20_000;
      Set<Long> accepted = ConcurrentHashMap.newKeySet();
      LongAdder failedAtCapture = new LongAdder();
      LongAdder failedAtEncoding = new LongAdder(); // taken by the buffer, unrenderable
      try (LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE)) {
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          long base = (long) t * perThread;
          producers.add(new Thread(() -> {
            for (long seq = base; seq < base + perThread; seq++) {
              if (seq % 1000 == 1) {
                failedAtCapture.increment();
                c.abandon(c.event().begin(0, 0, "INFO", "t", "x"), new IllegalStateException("toString threw"));
              } else if (seq % 1000 == 2) {
                // fails only when the sender renders it: counted then, as an encoding drop
                if (c.append(c.event().begin(0, 0, "ERROR", "t", "x").stackTrace(() -> {
                  throw new IllegalStateException("cannot render");
                }, 10))) {
                  failedAtEncoding.increment();
                }
              } else if (log(c, seq)) {
                accepted.add(seq);
              }
            }
          }));
        }
        producers.forEach(Thread::start);
        for (Thread p : producers) {
          p.join();
        }
        router.up();
        long offered = (long) threads * perThread;
        awaitTrue(() -> c.counters().sentEvents() + c.counters().droppedTotal() == offered, 20_000,
            "sent + dropped = offered");
        assertEquals(accepted.size(), c.counters().sentEvents(), "every accepted event sent");
        assertEquals(offered - accepted.size(), c.counters().droppedTotal());
        assertEquals(failedAtCapture.sum() + failedAtEncoding.sum(), c.counters().dropped(DropReason.ENCODING),
            "the ones failing at capture and the ones failing at encoding");
        assertTrue(c.counters().dropped(DropReason.BUFFER_FULL) > 0, "a 32 KB buffer with the router down drops");
      }
      List<Long> landed = seqs(router.acceptedLines());
      assertEquals(accepted.size(), landed.size(), "no event twice");
      assertEquals(accepted, new HashSet<>(landed), "exactly the accepted events");
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
        .filter(Thread::isAlive).filter(t -> t.getName().startsWith(prefix))
        .filter(t -> !t.getName().startsWith(StubRouter.THREAD_PREFIX)).count(); // the stand-in router's own
  }
}

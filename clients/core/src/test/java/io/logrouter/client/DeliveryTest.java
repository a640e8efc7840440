package io.logrouter.client;

import static io.logrouter.client.Clients.awaitTrue;
import static io.logrouter.client.Clients.fast;
import static io.logrouter.client.Clients.log;
import static io.logrouter.client.Clients.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.client.metrics.ClientCounters.DropReason;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Retries, refusals, failover and counters, against a stand-in router on a real socket. */
class DeliveryTest {

  @Test
  void retriesOnErrorsWithTheSameIdempotencyKeyAndHonoursRetryAfter() {
    try (StubRouter router = StubRouter.start()) {
      router.answer(503, "0").answer(429, "1").answer(-1, null).answer(500, null);
      try (LogRouterClient c = new LogRouterClient(fast(router.url()).set(ClientOption.RETRY_MAX_MS, 5000).build(), StatusSink.NONE)) {
        for (int i = 0; i < 10; i++) {
          log(c, i);
        }
        awaitTrue(() -> c.counters().sentEvents() == 10, 10_000, "10 events sent");
        assertEquals(4, c.counters().retries());
      }
      List<StubRouter.Request> reqs = router.requests();
      assertEquals(5, reqs.size(), "503, 429, connection closed, 500, then 202");
      Set<String> keys = reqs.stream().map(StubRouter.Request::key).collect(Collectors.toSet());
      assertEquals(1, keys.size(), "every attempt carries the same Idempotency-Key: " + keys);
      assertTrue(keys.iterator().next().length() >= 32);
      assertEquals("gzip", reqs.get(0).contentEncoding());
      assertEquals(LongStream.range(0, 10).boxed().toList(), seqs(router.acceptedLines()));
      long afterRetryAfter = reqs.get(2).arrivedNanos() - reqs.get(1).arrivedNanos();
      assertTrue(afterRetryAfter >= 950_000_000L, "Retry-After: 1 was honoured: " + afterRetryAfter / 1_000_000 + " ms");
    }
  }

  /** An attribute whose toString logs: the inner event is captured in the middle of the outer one. */
  @Test
  void anEventLoggedWhileAnotherIsCapturedOnTheSameThreadKeepsItsOwnFields() {
    try (StubRouter router = StubRouter.start();
        LogRouterClient c = new LogRouterClient(fast(router.url()).build(), StatusSink.NONE)) {
      Object loggingValue = new Object() {
        @Override
        public String toString() {
          log(c, 1);
          return "outer value";
        }
      };
      EventBuilder outer = c.event().begin(1_700_000_000L, 0, "WARN", "test", "outer");
      outer.attribute("seq", 0L).attribute("note", loggingValue);
      assertTrue(c.append(outer));
      awaitTrue(() -> c.counters().sentEvents() == 2, 10_000, "both events sent");
      List<String> lines = router.acceptedLines();
      assertEquals(List.of(1L, 0L), seqs(lines), "the inner event was appended first: " + lines);
      assertTrue(lines.get(0).contains("\"message\":\"event 1\"") && lines.get(0).contains("\"level\":\"INFO\"")
          && !lines.get(0).contains("outer"), lines.get(0));
      assertTrue(lines.get(1).contains("\"message\":\"outer\"") && lines.get(1).contains("\"level\":\"WARN\"")
          && lines.get(1).contains("\"note\":\"outer value\""), lines.get(1));
    }
  }

  @Test
  void aBatchTheRouterRefusesIsDroppedCountedAndWarnedAboutOncePerInterval() {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (StubRouter router = StubRouter.start()) {
      for (int i = 0; i < 5; i++) {
        router.answer(400, null);
      }
      try (LogRouterClient c = new LogRouterClient(fast(router.url()).set(ClientOption.BATCH_MAX_EVENTS, 2).build(),
          (m, e) -> warnings.add(m))) {
        for (int i = 0; i < 14; i++) {
          log(c, i);
        }
        awaitTrue(() -> c.counters().sentEvents() + c.counters().dropped(DropReason.REJECTED) == 14, 10_000, "all settled");
        assertEquals(10, c.counters().dropped(DropReason.REJECTED), "5 refused batches of 2");
        assertEquals(4, c.counters().sentEvents());
        assertEquals(0, c.counters().retries(), "a 400 is never retried");
      }
      assertEquals(7, router.requests().size());
      assertEquals(1, warnings.size(), "rate-limited: " + warnings);
      assertTrue(warnings.get(0).contains("HTTP 400"), warnings.get(0));
    }
  }

  @Test
  void failsOverToTheNextRouterAndBackToTheFirst() {
    try (StubRouter first = StubRouter.start(); StubRouter second = StubRouter.start()) {
      first.answer(503, null);
      ClientConfig cfg = fast(first.url(), second.url()).set(ClientOption.FAILBACK_AFTER_MS, 300)
          .set(ClientOption.BATCH_MAX_EVENTS, 5).build();
      try (LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE)) {
        for (int i = 0; i < 5; i++) {
          log(c, i);
        }
        awaitTrue(() -> c.counters().sentEvents() == 5, 5_000, "first batch");
        assertEquals(5, second.acceptedLines().size(), "the failed batch went to the second router");
        assertEquals(first.requests().get(0).key(), second.requests().get(0).key(), "same key on failover");
        sleep(400);
        for (int i = 5; i < 10; i++) {
          log(c, i);
        }
        awaitTrue(() -> c.counters().sentEvents() == 10, 5_000, "second batch");
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), seqs(first.acceptedLines()), "back on the first router");
        assertTrue(c.counters().failovers() >= 1);
      }
    }
  }

  @Test
  void maxInFlightRequestsOverlapEachWithItsOwnKeyAndEveryEventLandsOnce() {
    for (int maxInFlight : new int[] {1, 3}) {
      try (StubRouter router = StubRouter.start().holdEachRequest(300)) {
        ClientConfig cfg = fast(router.url()).set(ClientOption.MAX_IN_FLIGHT, maxInFlight)
            .set(ClientOption.BATCH_MAX_EVENTS, 10).build();
        try (LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE)) {
          for (int i = 0; i < 60; i++) {
            log(c, i);
          }
          awaitTrue(() -> c.counters().sentEvents() == 60, 20_000, "60 events sent");
        }
        assertEquals(maxInFlight, router.maxConcurrentRequests(), "requests in flight at once");
        List<StubRouter.Request> reqs = router.requests();
        assertEquals(6, reqs.size(), "6 full batches of 10");
        assertEquals(6, reqs.stream().map(StubRouter.Request::key).distinct().count(), "a key per batch");
        List<Long> landed = seqs(router.acceptedLines());
        if (maxInFlight == 1) {
          assertEquals(LongStream.range(0, 60).boxed().toList(), landed, "one in flight: in order");
        }
        assertEquals(LongStream.range(0, 60).boxed().toList(), landed.stream().sorted().toList(), "each once");
      }
    }
  }

  @Test
  void countersAreReadableOverJmx() throws Exception {
    try (StubRouter router = StubRouter.start();
        LogRouterClient c = new LogRouterClient(fast(router.url()).set(ClientOption.NAME, "jmx-test").build(), StatusSink.NONE)) {
      for (int i = 0; i < 3; i++) {
        log(c, i);
      }
      awaitTrue(() -> c.counters().sentEvents() == 3, 5_000, "sent");
      ObjectName name = new ObjectName("io.logrouter.client:type=LogRouterClient,name=\"jmx-test\"");
      assertEquals(3L, ManagementFactory.getPlatformMBeanServer().getAttribute(name, "SentEvents"));
      assertEquals(0L, ManagementFactory.getPlatformMBeanServer().getAttribute(name, "DroppedBufferFull"));
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

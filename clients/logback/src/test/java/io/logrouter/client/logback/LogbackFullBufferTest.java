package io.logrouter.client.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import io.logrouter.client.LogRouterClient;
import io.logrouter.client.metrics.ClientCounters.DropReason;
import io.logrouter.client.testkit.TestRouter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** overflow=drop with the router down: once the buffer is full, a logging call costs no capture. */
class LogbackFullBufferTest {

  @Test
  void aFullBufferDropsEventsBeforeFormattingThemAndCountsEachOne() {
    int port = TestRouter.freePort(); // nothing listens: the router is down
    LoggerContext ctx = LogbackSetup.configure("FULL", "http://127.0.0.1:" + port + "/log", Map.of("bufferBytes", "4096",
        "maxInFlight", "1", "batchMaxEvents", "5", "connectTimeoutMs", "200", "shutdownTimeoutMs", "100"));
    try {
      LogRouterClient client = LogbackSetup.appender(ctx, "FULL").client();
      Logger log = LoggerFactory.getLogger("app.Full");
      fillUntilADrop(client, log);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (client.counters().retries() == 0) { // the one sender holds its 5 events and retries them
        assertTrue(System.nanoTime() < deadline, "the sender never retried");
        Thread.onSpinWait();
      }
      fillUntilADrop(client, log); // what it took is filled again: the buffer stays full from here
      AtomicInteger formatted = new AtomicInteger();
      Object argument = new Object() {
        @Override
        public String toString() {
          formatted.incrementAndGet();
          return "formatted";
        }
      };
      long before = client.counters().dropped(DropReason.BUFFER_FULL);
      for (int i = 0; i < 1000; i++) {
        log.info("dropped {}", argument);
      }
      assertEquals(before + 1000, client.counters().dropped(DropReason.BUFFER_FULL), "every drop counted");
      assertEquals(0, formatted.get(), "a dropped event is not captured: its message is never formatted");
    } finally {
      ctx.stop();
    }
  }

  private static void fillUntilADrop(LogRouterClient client, Logger log) {
    long before = client.counters().dropped(DropReason.BUFFER_FULL);
    for (int i = 0; client.counters().dropped(DropReason.BUFFER_FULL) == before; i++) {
      log.info("filler {}", i);
    }
  }
}

package io.logrouter.client.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import io.logrouter.client.LogRouterClient;
import io.logrouter.client.metrics.ClientCounters;
import io.logrouter.client.metrics.ClientCounters.DropReason;
import io.logrouter.client.metrics.MicrometerMeters;
import io.logrouter.client.testkit.TestRouter;
import io.logrouter.client.testkit.TestSchema;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With Micrometer on the application's classpath the client's counters are meters: on Micrometer's
 * global registry by default, on the application's registry once it asks; each meter reads what the
 * client counted, checked against the real router and MariaDB after sending and after drops.
 */
class LogbackMetersTest {
  private static final Path DIR = Path.of(System.getProperty("logrouter.test.dir", "target/it"), "logback-meters");
  private static final String NAME = "METERS";
  private static final int SENT_FIRST = 2_000;
  private static final int OFFERED_WHILE_DOWN = 20_000;

  @Test
  void metersOnTheApplicationsRegistryEqualTheClientsCountersAfterSendingAndAfterDrops() throws Exception {
    TestSchema db = TestSchema.create("logback_meters");
    SimpleMeterRegistry global = new SimpleMeterRegistry(); // what a registry added to Metrics.globalRegistry sees
    Metrics.addRegistry(global);
    try (TestRouter router = TestRouter.start(db, DIR, "lb-meters")) {
      LoggerContext ctx = LogbackSetup.configure(NAME, router.url(), Map.of("bufferBytes", "65536",
          "batchMaxEvents", "100", "lingerMs", "50", "retryInitialMs", "50", "retryMaxMs", "200",
          "connectTimeoutMs", "500", "requestTimeoutMs", "3000", "shutdownTimeoutMs", "60000"));
      LogRouterClient client = LogbackSetup.appender(ctx, NAME).client();
      assertNotNull(sent(global).functionCounter(), "by default the meters are on Micrometer's global registry");

      MeterRegistry app = new SimpleMeterRegistry();
      MicrometerMeters.bindTo(client.meters(), app);
      assertNull(sent(global).functionCounter(), "moved off the global registry");
      assertNotNull(sent(app).functionCounter(), "onto the application's");
      assertEverythingDocumented(app);

      Logger log = LoggerFactory.getLogger("app.Meters");
      for (int i = 0; i < SENT_FIRST; i++) {
        if (i % 100 == 0) { // paced: the router is up and nothing is to be dropped yet
          awaitTrue(() -> client.bufferBytes() < 16 * 1024, "room in the buffer");
        }
        log.info("meters event {}", i);
      }
      awaitTrue(() -> client.counters().sentEvents() == SENT_FIRST, "the first events sent");
      assertEquals(0, client.counters().droppedTotal());
      assertEquals(SENT_FIRST, db.awaitRows(SENT_FIRST, 60_000), "rows");
      assertMetersEqualCounters(app, client);
      assertEquals(SENT_FIRST, sent(app).functionCounter().count());

      router.kill9(); // down: every send is retried, the 64 KB buffer fills and events are dropped
      for (int i = 0; i < OFFERED_WHILE_DOWN; i++) {
        log.info("meters event {}", SENT_FIRST + i);
      }
      ClientCounters c = client.counters();
      awaitTrue(() -> c.retries() > 0, "retries while the router is down");
      assertTrue(c.dropped(DropReason.BUFFER_FULL) > 0, "a 64 KB buffer cannot hold 20,000 events");
      awaitBufferSettled(client); // both senders hold a batch and retry; the rest waits in the buffer
      assertTrue(client.bufferBytes() > 0, "events wait in the buffer");
      System.gc(); // a gauge whose value holder is only weakly held would read NaN from here on
      assertMetersEqualCounters(app, client);
      assertEquals((double) client.bufferBytes(), app.get("logrouter.client.buffer.bytes").tag("client", NAME).gauge().value());

      router.restart();
      long total = SENT_FIRST + OFFERED_WHILE_DOWN;
      awaitTrue(() -> c.sentEvents() + c.droppedTotal() == total, "every event sent or dropped");
      assertEquals(c.sentEvents(), db.awaitRows(c.sentEvents(), 60_000), "rows = what the client counted as sent");
      assertMetersEqualCounters(app, client);
      assertEquals(total, (long) (sent(app).functionCounter().count() + droppedBufferFull(app)), "sent + dropped = offered");

      ctx.stop();
      assertNull(sent(app).functionCounter(), "the meters leave the registry when the appender stops");
    } finally {
      Metrics.removeRegistry(global);
      db.drop();
    }
  }

  private static Search sent(MeterRegistry r) {
    return r.find("logrouter.client.events.sent").tag("client", NAME);
  }

  private static double droppedBufferFull(MeterRegistry r) {
    return r.get("logrouter.client.events.dropped").tags("client", NAME, "reason", "buffer_full").functionCounter().count();
  }

  /**
   * Each meter against its counter, read before and after the meter (a counter only grows, and the
   * retries go on while the router is down): before <= meter <= after.
   */
  private static void assertMetersEqualCounters(MeterRegistry r, LogRouterClient client) {
    ClientCounters c = client.counters();
    assertCounter(r, "logrouter.client.events.sent", c, ClientCounters::sentEvents);
    assertCounter(r, "logrouter.client.batches.sent", c, ClientCounters::sentBatches);
    assertCounter(r, "logrouter.client.retries", c, ClientCounters::retries);
    assertCounter(r, "logrouter.client.failovers", c, ClientCounters::failovers);
    assertCounter(r, "logrouter.client.events.spilled", c, ClientCounters::spilledEvents);
    assertCounter(r, "logrouter.client.events.replayed", c, ClientCounters::replayedEvents);
    for (DropReason reason : DropReason.values()) {
      long before = c.dropped(reason);
      double meter = r.get("logrouter.client.events.dropped").tags("client", NAME, "reason", reason.tag()).functionCounter().count();
      assertBetween(before, meter, c.dropped(reason), "logrouter.client.events.dropped{reason=" + reason.tag() + "}");
    }
    long before = client.bufferBytes();
    double gauge = r.get("logrouter.client.buffer.bytes").tag("client", NAME).gauge().value();
    assertTrue(gauge == before || gauge == client.bufferBytes(), "buffer.bytes gauge " + gauge + " vs " + before);
    assertEquals(0.0, r.get("logrouter.client.spill.bytes").tag("client", NAME).gauge().value(), "no spill directory");
  }

  private static void assertCounter(MeterRegistry r, String name, ClientCounters c, ToLongFunction<ClientCounters> counter) {
    long before = counter.applyAsLong(c);
    double meter = r.get(name).tag("client", NAME).functionCounter().count();
    assertBetween(before, meter, counter.applyAsLong(c), name);
  }

  private static void assertBetween(long before, double meter, long after, String name) {
    assertTrue(before <= meter && meter <= after, name + ": meter " + meter + ", counter " + before + ".." + after);
  }

  /** Every meter the client registers is named in clients/README.md. */
  private static void assertEverythingDocumented(MeterRegistry r) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    Set<String> names = new TreeSet<>();
    for (Meter m : r.getMeters()) {
      names.add(m.getId().getName());
    }
    assertEquals(9, names.size(), "meter names: " + names);
    for (String n : names) {
      assertTrue(readme.contains("`" + n + "`"), n + " is not documented in clients/README.md");
    }
  }

  private static void awaitBufferSettled(LogRouterClient client) throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 200; i++) {
      long now = client.bufferBytes();
      if (now == last) {
        return;
      }
      last = now;
      Thread.sleep(100);
    }
    throw new AssertionError("the buffer never settled");
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}

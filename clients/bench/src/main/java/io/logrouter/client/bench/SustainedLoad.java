package io.logrouter.client.bench;

import ch.qos.logback.classic.LoggerContext;
import io.logrouter.client.logback.LogRouterAppender;
import io.logrouter.client.testkit.TestRouter;
import io.logrouter.client.testkit.TestSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * Sustained rate from one JVM into MySQL through one router: logs {@code rate} events/s for
 * {@code seconds} through the Logback appender (overflow=drop, the default), stops (flush), and
 * counts rows. Prints offered, sent, dropped, rows and the rate the rows landed at.
 * Args: rate seconds [maxInFlight (default: the option's default)]. Needs the router jar
 * (-Dlogrouter.jar) and the test MariaDB.
 */
public final class SustainedLoad {
  private SustainedLoad() {
  }

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    String maxInFlight = args.length > 2 && !args[2].isBlank() ? args[2] : null;
    TestSchema db = TestSchema.create("sustained");
    Path dir = Files.createTempDirectory("sustained");
    try (TestRouter router = TestRouter.start(db, dir, "sustained")) {
      LoggerContext ctx = new LoggerContext();
      ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as SLF4J's provider does
      LogRouterAppender appender = new LogRouterAppender();
      appender.setContext(ctx);
      appender.setName("sustained");
      appender.setUrls(router.url());
      appender.setShutdownTimeoutMs("120000");
      appender.setShutdownHook("false");
      if (maxInFlight != null) {
        appender.setMaxInFlight(maxInFlight);
      }
      appender.start();
      ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
      root.addAppender(appender);
      ctx.start();
      Logger log = ctx.getLogger("bench.Sustained");
      long start = System.nanoTime();
      long total = (long) rate * seconds;
      long intervalNanos = 1_000_000_000L / rate;
      for (long i = 0; i < total; i++) {
        long due = start + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 50_000) {
          LockSupport.parkNanos(wait);
        }
        log.info("sustained event {} of a steady stream", i);
      }
      double offeredSeconds = (System.nanoTime() - start) / 1e9;
      ctx.stop();
      var c = appender.client().counters();
      long rows = db.awaitRows(c.sentEvents(), 300_000);
      double landedSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("maxInFlight %s: offered %d events at %d/s target in %.1f s (%.0f/s achieved); sent %d in %d requests, "
          + "dropped %d (buffer_full), retries %d; rows %d; all rows in MySQL after %.1f s => %.0f rows/s end to end%n",
          appender.client().config().maxInFlight(), total, rate, offeredSeconds, total / offeredSeconds, c.sentEvents(),
          c.sentBatches(), c.droppedTotal(), c.retries(), rows, landedSeconds, rows / landedSeconds);
    } finally {
      db.drop();
    }
  }
}

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
 * counts rows. Prints offered, sent, dropped, rows, the rate rows landed at while the application
 * logged (after a warm-up of a quarter of the run: the sustained rate) and end to end.
 * Args: rate seconds [maxInFlight (empty: the option's default)] [flush: default (the router's
 * own flush settings) or fast (the tests' 200 ms)]. Needs the router jar (-Dlogrouter.jar) and the
 * test MariaDB.
 */
public final class SustainedLoad {
  private SustainedLoad() {
  }

  /** The flush settings named by {@code args[i]}: default (the router's own, when absent) or fast. */
  static TestRouter.Flush flush(String[] args, int i) {
    String v = args.length > i && !args[i].isBlank() ? args[i] : "default";
    return switch (v) {
      case "default" -> TestRouter.Flush.ROUTER_DEFAULTS;
      case "fast" -> TestRouter.Flush.FAST;
      default -> throw new IllegalArgumentException("flush must be default or fast, not " + v);
    };
  }

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    String maxInFlight = args.length > 2 && !args[2].isBlank() ? args[2] : null;
    TestRouter.Flush flush = flush(args, 3);
    TestSchema db = TestSchema.create("sustained");
    Path dir = Files.createTempDirectory("sustained");
    try (TestRouter router = TestRouter.start(db, dir, "sustained", flush); RowProgress progress = new RowProgress(db)) {
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
      long loggedUntil = System.nanoTime();
      double offeredSeconds = (loggedUntil - start) / 1e9;
      double whileLogging = progress.rate(start + (loggedUntil - start) / 4, loggedUntil);
      ctx.stop();
      var c = appender.client().counters();
      long rows = progress.awaitRows(c.sentEvents(), 300_000);
      double landedSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("flush %s, maxInFlight %s: offered %d events at %d/s target in %.1f s (%.0f/s achieved); sent %d in %d requests, "
          + "dropped %d (buffer_full), retries %d; rows %d; %.0f rows/s landed while logging (after the first quarter); "
          + "all rows in MySQL after %.1f s => %.0f rows/s end to end%n",
          flush, appender.client().config().maxInFlight(), total, rate, offeredSeconds, total / offeredSeconds, c.sentEvents(),
          c.sentBatches(), c.droppedTotal(), c.retries(), rows, whileLogging, landedSeconds, rows / landedSeconds);
    } finally {
      db.drop();
    }
  }
}

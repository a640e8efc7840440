package io.logrouter.client.bench;

import io.logrouter.client.send.Batch;
import io.logrouter.client.send.HttpTransport;
import io.logrouter.client.send.Outcome;
import io.logrouter.client.testkit.TestRouter;
import io.logrouter.client.testkit.TestSchema;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ceiling for {@link SustainedLoad}, same box, same router setup: no logging and no encoding,
 * only gzip NDJSON batches (5,000 lines shaped like SustainedLoad's, encoded once a second) posted
 * by {@code inFlight} threads as fast as the router acks them, each batch under its own key; then
 * the rate rows landed while posting (after the first quarter) and the time until every row is in
 * MySQL. Args: seconds inFlight [flush: default or fast, as {@link SustainedLoad}].
 */
public final class SustainedCeiling {
  private static final int EVENTS_PER_BATCH = 5000;

  private SustainedCeiling() {
  }

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    int inFlight = Integer.parseInt(args[1]);
    TestRouter.Flush flush = SustainedLoad.flush(args, 2);
    TestSchema db = TestSchema.create("ceiling");
    Path dir = Files.createTempDirectory("ceiling");
    try (TestRouter router = TestRouter.start(db, dir, "ceiling", flush); RowProgress progress = new RowProgress(db)) {
      AtomicReference<byte[]> body = new AtomicReference<>(body(Instant.now()));
      HttpTransport http = new HttpTransport(2000, "");
      URI url = URI.create(router.url());
      AtomicLong sent = new AtomicLong();
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      Thread clock = new Thread(() -> followTheClock(body, end), "ceiling-clock");
      clock.setDaemon(true);
      clock.start();
      List<Thread> posters = new ArrayList<>();
      for (int i = 0; i < inFlight; i++) {
        posters.add(new Thread(() -> {
          while (System.nanoTime() < end) {
            Outcome o = http.post(url, new Batch(UUID.randomUUID().toString(), body.get(), EVENTS_PER_BATCH), 30_000);
            if (o.kind() == Outcome.Kind.SENT) {
              sent.addAndGet(EVENTS_PER_BATCH);
            }
          }
        }));
      }
      posters.forEach(Thread::start);
      for (Thread p : posters) {
        p.join();
      }
      long postedUntil = System.nanoTime();
      double postSeconds = (postedUntil - start) / 1e9;
      double whilePosting = progress.rate(start + (postedUntil - start) / 4, postedUntil);
      long rows = progress.awaitRows(sent.get(), 300_000);
      double landedSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("ceiling, flush %s, %d in flight: acked %d events in %.1f s (%.0f/s); %.0f rows/s landed while posting"
          + " (after the first quarter); %d of them in MySQL after %.1f s => %.0f rows/s end to end%s%n", flush, inFlight,
          sent.get(), postSeconds, sent.get() / postSeconds, whilePosting, rows, landedSeconds,
          rows / landedSeconds, rows < sent.get() ? " (waiting for the rest timed out)" : "");
    } finally {
      db.drop();
    }
  }

  /**
   * Re-encodes the body once a second with that second's timestamps, as a live stream's are: one body
   * for the whole run repeated the same 5,000 timestamps in every batch, so each flush inserted into
   * 5,000 places spread over every index on ts, and past about a million rows (the indexes outgrowing a
   * 128 MB InnoDB buffer pool) flushes took 20-120 s each: a "stall" of the benchmark, not of the router.
   */
  private static void followTheClock(AtomicReference<byte[]> body, long endNanos) {
    while (System.nanoTime() < endNanos) {
      long toNextSecond = 1000 - System.currentTimeMillis() % 1000;
      try {
        Thread.sleep(toNextSecond);
      } catch (InterruptedException e) {
        return;
      }
      body.set(body(Instant.now()));
    }
  }

  /** 5,000 lines shaped like what the Logback appender sends for SustainedLoad, at {@code now}'s second, gzipped. */
  private static byte[] body(Instant now) {
    StringBuilder ndjson = new StringBuilder();
    String second = now.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "");
    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
      ndjson.append("{\"timestamp\":\"").append(second).append(String.format(".%06dZ", i))
          .append("\",\"level\":\"INFO\",\"source\":\"bench.Sustained\",\"message\":\"sustained event ")
          .append(i).append(" of a steady stream\",\"thread\":\"main\"}\n");
    }
    byte[] bytes = ndjson.toString().getBytes(StandardCharsets.UTF_8);
    return Batch.of(bytes, bytes.length, EVENTS_PER_BATCH).gzipBody();
  }
}

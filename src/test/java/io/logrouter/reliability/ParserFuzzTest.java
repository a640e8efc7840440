package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.MalformedBodies;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterHarness.Response;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 generated malformed or hostile bodies (seeded, reproducible) at the real ingest route:
 * only 4xx (202 allowed only for random mutations that happen to be valid), never a 5xx, nothing
 * of a refused request queued, and the server healthy afterwards.
 */
class ParserFuzzTest {
  private static final int CASES = Integer.getInteger("fuzz.cases", 100_000);
  private static final long SEED = Long.getLong("fuzz.seed", 20261123L);
  private static final int THREADS = 4;

  @TempDir
  Path queueDir;

  @Test
  void malformedBodiesGet4xxAndNeverAServerError() {
    try (TestDatabase db = TestDatabase.create("fuzz");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      AtomicLong acceptedEvents = new AtomicLong();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      IntStream.range(0, THREADS).parallel().forEach(t -> {
        for (long i = t; i < CASES; i += THREADS) {
          MalformedBodies.Case c = MalformedBodies.caseAt(SEED, i);
          Response r = router.post("/log", c.body(), c.contentType(), c.contentEncoding().orElse(null));
          boolean clientError = r.status() >= 400 && r.status() < 500;
          if (r.status() == 202 && !c.mustReject()) {
            acceptedEvents.addAndGet(Long.parseLong(r.body().replaceAll("\\D", "")));
          } else if (!clientError || !r.body().startsWith("{\"error\":")) {
            wrong.add("case " + i + " " + c.label() + " -> " + r.status() + " " + r.body());
          }
        }
      });
      assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers, e.g. " + List.copyOf(wrong).subList(0, Math.min(5, wrong.size())));
      assertEquals(acceptedEvents.get(), router.router().gate().backlogEvents(), "only accepted requests were queued");
      assertEquals(200, router.get("/health").status());
      assertEquals(acceptedEvents.get(), router.flush());
      assertEquals(acceptedEvents.get(), db.queryLong("SELECT COUNT(*) FROM logs"), "every accepted mutation is stored");
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"), "nothing MySQL refuses got through");
      System.out.printf("fuzz: %d cases (seed %d), %d events accepted from valid mutations%n", CASES, SEED,
          acceptedEvents.get());
    }
  }
}

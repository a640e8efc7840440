package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of Elasticsearch bulk bodies at {@code /{index}/_bulk}: never a 5xx; a refused
 * request (4xx) queues nothing; a 200 queues exactly the items it answered 201 for, and every one of
 * them reaches MySQL (none refused there).
 */
class ElasticsearchBulkFuzzTest {
  private static final int CASES = Integer.getInteger("fuzz.cases", 20_000);
  private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
  private static final Pattern CREATED = Pattern.compile("\"status\":201");
  private static final String[] HOSTILE = {"\\ud800", "\u00e9", "\ud83d\ude80", "1e400", "9".repeat(400), "{".repeat(40),
      "\"\"", "null", "[", "]", "}", "{", ",", ":", "\\", "\n", "\r\n", "\"@timestamp\":\"99999-01-01\"", "\"_id\":1",
      "{\"delete\":{}}", "{\"update\":{}}", "\"log\":{\"level\":\"" + "x".repeat(20) + "\"}"};

  @TempDir
  Path queueDir;

  @Test
  void mutatedBulkBodiesNeverGetAServerError() {
    try (TestDatabase db = TestDatabase.create("es_fuzz");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      AtomicLong created = new AtomicLong();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      IntStream.range(0, 2).parallel().forEach(t -> {
        for (long i = t; i < CASES; i += 2) {
          byte[] body = mutate(new Random(SEED * 31 + i));
          TestHttp.Response r = TestHttp.post(router.url("/fuzz/_bulk"), body, "application/x-ndjson", null);
          if (r.statusCode() == 200) {
            Matcher m = CREATED.matcher(r.body());
            while (m.find()) {
              created.incrementAndGet();
            }
          } else if (r.statusCode() < 400 || r.statusCode() >= 500 || !r.body().startsWith("{\"error\":")) {
            wrong.add("case " + i + " -> " + r.statusCode() + " " + r.body());
          }
        }
      });
      assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers, e.g. " + List.copyOf(wrong).subList(0, Math.min(5, wrong.size())));
      assertEquals(created.get(), router.router().gate().backlogEvents(), "exactly the 201 items were queued");
      // A mutation may repeat an _id ("_id":1 is one of the hostile snippets): that event is stored once.
      long flushed = router.flush();
      long duplicates = deduplicated(router.get("/metrics").body());
      assertEquals(created.get(), flushed + duplicates, "every 201 item is stored or de-duplicated");
      assertEquals(flushed, db.queryLong("SELECT COUNT(*) FROM logs"));
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"), "nothing MySQL refuses got through");
      assertEquals(200, router.get("/health").status());
      System.out.printf("es fuzz: %d cases (seed %d), %d items created%n", CASES, SEED, created.get());
    }
  }

  private static long deduplicated(String metrics) {
    Matcher m = Pattern.compile("(?m)^logrouter_events_deduplicated_total (\\S+)$").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /** A valid bulk body of 1..5 pairs, then 1..4 mutations of one kind per case. */
  static byte[] mutate(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0, n = 1 + r.nextInt(5); k < n; k++) {
      // Distinct ids: a repeated _id is de-duplicated at flush (IdempotencyTest covers that), not a fuzz concern.
      sb.append(r.nextBoolean() ? "{\"create\":{\"_id\":\"" + Long.toHexString(r.nextLong()) + "\"}}\n" : "{\"index\":{}}\n");
      sb.append("{\"@timestamp\":\"2024-05-01T10:00:0").append(k).append("Z\",\"message\":\"m").append(k)
          .append("\",\"log\":{\"level\":\"info\"},\"service\":{\"name\":\"s\"},\"a\":[1,2.50,{\"b\":null}]}\n");
    }
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    for (int m = 0, n = 1 + r.nextInt(4); m < n; m++) {
      b = switch (r.nextInt(5)) {
        case 0 -> flip(b, r);
        case 1 -> java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
        case 2 -> insert(b, r.nextInt(b.length + 1), HOSTILE[r.nextInt(HOSTILE.length)].getBytes(StandardCharsets.UTF_8));
        case 3 -> insert(b, r.nextInt(b.length + 1), new byte[] {(byte) (0x80 + r.nextInt(128))});
        default -> remove(b, r);
      };
    }
    return b;
  }

  private static byte[] flip(byte[] b, Random r) {
    if (b.length > 0) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
    out.write(b, 0, at);
    out.write(what, 0, what.length);
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  private static byte[] remove(byte[] b, Random r) {
    if (b.length < 2) {
      return b;
    }
    int at = r.nextInt(b.length - 1);
    int len = 1 + r.nextInt(Math.min(20, b.length - at));
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
    out.write(b, 0, at);
    out.write(b, at + len, b.length - at - len);
    return out.toByteArray();
  }
}

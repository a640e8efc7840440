package io.logrouter.client.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Does this router honour {@code Idempotency-Key}? Sends one event twice under one key into a
 * scratch schema's router and counts rows. Exactly-once tests assert "no duplicates" only when it
 * does (issue 11 adds it to the router); until then they report the duplicates they saw.
 */
public final class IdempotencyProbe {
  private IdempotencyProbe() {
  }

  public static boolean routerHonoursKey(TestRouter router, TestSchema db) {
    String key = UUID.randomUUID().toString();
    String marker = "idempotency-probe-" + key;
    post(router.url(), key, "{\"level\":\"INFO\",\"source\":\"probe\",\"message\":\"" + marker + "\"}");
    post(router.url(), key, "{\"level\":\"INFO\",\"source\":\"probe\",\"message\":\"" + marker + "\"}");
    String count = "SELECT COUNT(*) FROM logs WHERE message = '" + marker + "'";
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline && safeCount(db, count) < 1) {
      TestSchema.sleep(100);
    }
    TestSchema.sleep(1500); // a second copy would be in the same or the next 200 ms flush
    return safeCount(db, count) == 1;
  }

  private static long safeCount(TestSchema db, String sql) {
    try {
      return db.queryLong(sql);
    } catch (IllegalStateException noTableYet) {
      return 0;
    }
  }

  /** POSTs one JSON event without a key; throws unless the router answers 2xx. */
  public static void postOne(String url, String json) {
    post(url, null, json);
  }

  private static void post(String url, String key, String json) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      if (key != null) {
        c.setRequestProperty("Idempotency-Key", key);
      }
      try (OutputStream out = c.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      int status = c.getResponseCode();
      (status >= 400 ? c.getErrorStream() : c.getInputStream()).readAllBytes();
      if (status / 100 != 2) {
        throw new IllegalStateException("probe POST answered " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 429 + Retry-After per API key over a real socket: 1 request per second, burst 2. A token that
 * refills while the machine stalls is tolerated once, so the outcome does not depend on speed.
 */
class RateLimitHttpTest {
  static final String KEY_A = "rate-key-a-0123456789abcdef";
  static final String KEY_B = "rate-key-b-0123456789abcdef";
  static final String EVENT = "{\"message\":\"m\"}";

  @TempDir
  static Path dir;
  static TestDatabase db;
  static RouterHarness router;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("rate_limit");
    router = RouterHarness.start(db, dir, Map.of("auth.api.keys", KEY_A + "," + KEY_B,
        "ratelimit.requests.per.second", "1", "ratelimit.burst", "2"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  @Test
  void aKeyOverItsRateGets429WithRetryAfterWhileOtherKeysGoOn() {
    assertEquals(202, Requests.post(router.url("/log"), EVENT, "X-API-Key", KEY_A).statusCode());
    assertEquals(202, Requests.post(router.url("/log"), EVENT, "X-API-Key", KEY_A).statusCode());
    TestHttp.Response limited = Requests.post(router.url("/log"), EVENT, "X-API-Key", KEY_A);
    if (limited.statusCode() == 202) {
      // The machine paused for over a second and a token refilled: one more must hit the limit.
      limited = Requests.post(router.url("/log"), EVENT, "X-API-Key", KEY_A);
    }
    assertEquals(429, limited.statusCode());
    assertTrue(limited.body().startsWith("{\"error\":\"rate limit exceeded"), limited.body());
    long retryAfter = Long.parseLong(limited.header("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1, "Retry-After in whole seconds: " + retryAfter);
    assertEquals(202, Requests.post(router.url("/log"), EVENT, "X-API-Key", KEY_B).statusCode());
    assertEquals(200, Requests.get(router.url("/health")).statusCode(), "probes are not rate limited");
  }
}

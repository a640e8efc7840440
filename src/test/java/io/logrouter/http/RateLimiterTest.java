package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a hand-moved clock. */
class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

  @Test
  void aClientMaySendItsBurstAtOnceThenOneRequestPerInterval() {
    RateLimiter limiter = new RateLimiter(10, 3, 100, now::get);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.acquire("a"), "burst request " + i);
    }
    long wait = limiter.acquire("a");
    assertTrue(wait > 0 && wait <= 100_000_000L, "next token within one interval (100 ms): " + wait);
    now.addAndGet(wait);
    assertEquals(0, limiter.acquire("a"));
    assertTrue(limiter.acquire("a") > 0);
  }

  @Test
  void clientsHaveTheirOwnBuckets() {
    RateLimiter limiter = new RateLimiter(1, 1, 100, now::get);
    assertEquals(0, limiter.acquire("a"));
    assertTrue(limiter.acquire("a") > 0);
    assertEquals(0, limiter.acquire("b"));
  }

  @Test
  void zeroBurstMeansOneSecondsWorth() {
    RateLimiter limiter = new RateLimiter(5, 0, 100, now::get);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, limiter.acquire("a"));
    }
    assertTrue(limiter.acquire("a") > 0);
  }

  @Test
  void clientsBeyondTheCapShareOneOverflowBucket() {
    RateLimiter limiter = new RateLimiter(1, 1, 2, now::get);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("b"));
    assertEquals(0, limiter.acquire("c"), "first overflow client gets the shared token");
    assertTrue(limiter.acquire("d") > 0, "the next one shares the same, now empty, bucket");
    assertEquals(2, limiter.trackedClients(), "the map never grows past the cap");
    now.addAndGet(1_000_000_000L);
    assertEquals(0, limiter.acquire("a"), "a known client refills at its own rate");
  }

  @Test
  void sweepForgetsRefilledClientsOnly() {
    RateLimiter limiter = new RateLimiter(1, 1, 100, now::get);
    limiter.acquire("idle");
    now.addAndGet(2_000_000_000L);
    limiter.acquire("busy");
    limiter.sweep();
    assertEquals(1, limiter.trackedClients());
    assertTrue(limiter.acquire("busy") > 0, "the busy client's state survived the sweep");
  }
}

package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.flush.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final long MS = 1_000_000L;
  private double random = 1.0;
  private final CircuitBreaker breaker = new CircuitBreaker(Duration.ofMillis(100), Duration.ofSeconds(5), () -> random);

  @Test
  void opensAfterThreeFailuresThenProbesHalfOpenAndClosesOnSuccess() {
    assertEquals(0, breaker.waitNanos(0));
    breaker.onFailure(0);
    breaker.onFailure(0);
    assertEquals(State.CLOSED, breaker.state(), "two failures can be a blip");
    breaker.onFailure(0);
    assertEquals(State.OPEN, breaker.state());
    assertEquals(400 * MS, breaker.waitNanos(0), "third failure: 100ms * 2^2 with jitter 1.0");
    assertEquals(0, breaker.waitNanos(400 * MS));
    assertEquals(State.HALF_OPEN, breaker.state());
    breaker.onSuccess();
    assertEquals(State.CLOSED, breaker.state());
    assertEquals(0, breaker.waitNanos(400 * MS));
  }

  @Test
  void failedProbeReopensWithLongerBackoffCappedAtMax() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure(0);
    }
    breaker.waitNanos(Long.MAX_VALUE / 2);
    assertEquals(State.HALF_OPEN, breaker.state());
    breaker.onFailure(0);
    assertEquals(State.OPEN, breaker.state());
    for (int i = 0; i < 60; i++) {
      breaker.onFailure(0);
    }
    assertEquals(5_000 * MS, breaker.waitNanos(0), "capped at flush.retry.max");
  }

  @Test
  void fullJitterSpreadsWaitsBetweenZeroAndTheCeiling() {
    random = 0.25;
    breaker.onFailure(0);
    assertEquals(25 * MS, breaker.waitNanos(0));
    random = 0.0;
    breaker.onFailure(0);
    assertTrue(breaker.waitNanos(0) >= 0);
  }
}

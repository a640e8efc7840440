package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A streak of flush failures is logged sparingly but never silently. */
class FailureLogTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void theFirstANewKindABreakerChangeAndAMinuteLaterAreLogged() {
    FailureLog log = new FailureLog();
    assertTrue(log.due("1047 node not ready", true, 0), "the first of a streak");
    assertFalse(log.due("1047 node not ready", false, SECOND), "the same again");
    assertTrue(log.due("socket timeout", false, 2 * SECOND), "a new kind of error");
    assertFalse(log.due("socket timeout", false, 3 * SECOND));
    assertTrue(log.due("socket timeout", true, 4 * SECOND), "the breaker changed");
    assertFalse(log.due("socket timeout", false, 63 * SECOND));
    assertTrue(log.due("socket timeout", false, 64 * SECOND), "a minute since the last line");
  }
}

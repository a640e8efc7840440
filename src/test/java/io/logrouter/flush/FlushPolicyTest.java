package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlushPolicyTest {
  private final FlushPolicy policy = new FlushPolicy(10 << 20, Duration.ofSeconds(30));
  private static final long S = 1_000_000_000L;

  @Test
  void sizeAloneMakesAFlushDue() {
    assertTrue(policy.due(10 << 20, 1, 1 * S, 0));
    assertFalse(policy.due((10 << 20) - 1, 1, 1 * S, 0));
  }

  @Test
  void intervalSinceLastFlushAloneMakesAFlushDue() {
    assertFalse(policy.due(100, 1, 29 * S, 0));
    assertTrue(policy.due(100, 1, 30 * S, 0));
  }

  /** Under 1/256 of flush.max.bytes (40,960 bytes of 10 MB) taken in by a look: the next look may wait longer. */
  @Test
  void aLookTakingInUnderOneTwoHundredFiftySixthOfTheSizeTriggerIsATrickle() {
    assertTrue(policy.trickle(0));
    assertTrue(policy.trickle(40_959));
    assertFalse(policy.trickle(40_960));
  }

  @Test
  void nothingIsDueWithoutEvents() {
    assertFalse(policy.due(0, 0, 3600 * S, 0));
  }
}

package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The gate's two limits, evaluated directly (no sleeping): backlog bytes and the free-disk floor. */
class BacklogGateTest {
  private final AtomicLong free = new AtomicLong(10_000);
  private final BacklogGate gate = new BacklogGate(1_000, 2_000, free::get, false);

  @Test
  void backlogAtTheLimitRefusesAndReleasingAcceptsAgain() {
    assertNull(gate.refusal());
    gate.appended(999, 3);
    gate.check();
    assertNull(gate.refusal());
    gate.appended(1, 1);
    gate.check();
    assertTrue(gate.refusal().startsWith("backlog limit reached"), gate.refusal());
    gate.released(500, 2);
    gate.check();
    assertNull(gate.refusal());
  }

  @Test
  void diskBelowTheFloorRefusesBeforeChronicleCouldHitAFullDisk() {
    free.set(1_999);
    gate.check();
    assertTrue(gate.refusal().startsWith("disk nearly full"), gate.refusal());
    free.set(2_000);
    gate.check();
    assertNull(gate.refusal());
  }
}

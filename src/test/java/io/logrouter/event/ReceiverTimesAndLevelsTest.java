package io.logrouter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The time and level rules OTLP and Loki add to the shared Timestamps and LevelNames. */
class ReceiverTimesAndLevelsTest {
  @Test
  void epochNanosBecomeMicrosTruncated() {
    assertEquals(1_764_496_800_123_456L, Timestamps.fromEpochNanos(1_764_496_800_123_456_789L));
    assertEquals(Long.divideUnsigned(-1L, 1000), Timestamps.fromEpochNanos(-1L), "fixed64 is unsigned");
    assertEquals(1_764_496_800_123_456L, Timestamps.parseEpochNanos("1764496800123456789"));
    assertEquals(-1L, Timestamps.parseEpochNanos("-1000"));
    for (String bad : new String[] {"", "-", "12a", "1.5", "99999999999999999999", " 1"}) {
      assertEquals(Long.MIN_VALUE, Timestamps.parseEpochNanos(bad), bad);
    }
    assertEquals(1_764_496_802_000_005L, Timestamps.fromSecondsAndNanos(1_764_496_802L, 5_000));
    assertEquals(Long.MIN_VALUE, Timestamps.fromSecondsAndNanos(Long.MAX_VALUE, 0));
    assertEquals(Long.MIN_VALUE, Timestamps.fromSecondsAndNanos(300_000_000_000L, 0), "past year 9999");
  }

  @Test
  void otelSeverityNumbersMapToLevelRanges() {
    assertNull(LevelNames.fromOtelSeverity(0));
    assertNull(LevelNames.fromOtelSeverity(25));
    assertEquals("TRACE", LevelNames.fromOtelSeverity(1));
    assertEquals("DEBUG", LevelNames.fromOtelSeverity(8));
    assertEquals("INFO", LevelNames.fromOtelSeverity(9));
    assertEquals("WARN", LevelNames.fromOtelSeverity(13));
    assertEquals("ERROR", LevelNames.fromOtelSeverity(20));
    assertEquals("FATAL", LevelNames.fromOtelSeverity(24));
  }
}

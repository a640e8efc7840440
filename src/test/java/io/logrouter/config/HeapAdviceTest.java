package io.logrouter.config;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up warning about an uncapped heap: when it speaks, and what it advises. */
class HeapAdviceTest {
  private static final long MB = 1L << 20;

  @Test
  void theShippedCapAndModestHeapsAreQuiet() {
    RouterConfig defaults = RouterConfig.of(Map.of());
    assertNull(HeapAdvice.warning(defaults, 96 * MB));
    assertNull(HeapAdvice.warning(defaults, 1024 * MB));
    assertNull(HeapAdvice.warning(defaults, Long.MAX_VALUE), "no limit known: nothing to compare");
  }

  @Test
  void aLargeDefaultHeapIsNamedWithTheCapTheSettingsNeed() {
    String warning = HeapAdvice.warning(RouterConfig.of(Map.of()), 6 * 1024 * MB);
    assertTrue(warning != null && warning.contains("6144 MB") && warning.contains("-Xmx96m"), warning);
  }

  @Test
  void biggerFlushesAndBodyBudgetsNeedMore() {
    RouterConfig big = RouterConfig.of(Map.of("flush.max.bytes", "256MB", "http.max.inflight.body.bytes", "512MB"));
    assertNull(HeapAdvice.warning(big, 3 * 1024 * MB), "1,080 MB needed: 3 GB is not over four times that");
    assertTrue(HeapAdvice.warning(big, 8 * 1024 * MB).contains("-Xmx1088m"));
  }
}

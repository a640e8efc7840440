package io.logrouter.buffer;

import java.util.Map;

/**
 * Every damage case of {@link DamagedQueueTest} read by three flush lanes: each lane passes over the
 * others' documents unread, so each damaged document must still be reported exactly once (by its owner)
 * and every undamaged event land exactly once.
 */
class DamagedQueueLanesTest extends DamagedQueueTest {
  @Override
  Map<String, String> routerConfig() {
    return Map.of("flush.lanes", "3");
  }
}

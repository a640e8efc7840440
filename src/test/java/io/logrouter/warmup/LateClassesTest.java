package io.logrouter.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The lock classes loaded ahead of the warm-up exist in this JDK by those names: a JDK that renames them would
 * make the preload load nothing, silently, and bring back the discarded request path it prevents.
 */
class LateClassesTest {
  @Test
  void everyClassLoadedAheadExistsInThisJdk() {
    assertEquals(LateClasses.NAMES.size(), LateClasses.load(), "loaded of " + LateClasses.NAMES);
  }
}

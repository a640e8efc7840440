package io.logrouter.warmup;

import java.util.List;

/**
 * JDK classes that a warm-up's traffic does not make the JVM load, loaded before it compiles anything.
 *
 * <p>Why: the JIT compiles on what is loaded now. While {@code AbstractQueuedSynchronizer.Node} had one loaded
 * subclass ({@code ConditionNode}, from the executors' waits), C2 compiled every lock in the request path
 * (NIO's socket reads, Undertow's response writes, Chronicle's write lock) on the bet that no other exists.
 * The first thread that had to queue for a lock loaded {@code ExclusiveNode}; that was at the warm-up's end, and
 * HotSpot threw away those 12 compiled methods of the request path at once, to compile them again while real
 * requests came in (seen in the JIT log, {@code -XX:+LogCompilation}: {@code dependency_failed}). Loaded first,
 * nothing is compiled on that bet. Loading is enough; nothing is initialised.
 */
final class LateClasses {
  /**
   * The queue nodes of the JDK's locks: ExclusiveNode when a thread queues for a lock, SharedNode for a read
   * lock or a latch. Names of JDK internals: a JDK without them is passed over.
   */
  static final List<String> NAMES = List.of(
      "java.util.concurrent.locks.AbstractQueuedSynchronizer$ExclusiveNode",
      "java.util.concurrent.locks.AbstractQueuedSynchronizer$SharedNode",
      "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ExclusiveNode",
      "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$SharedNode");

  private LateClasses() {}

  /** Loads {@link #NAMES}. @return how many this JDK has */
  static int load() {
    int loaded = 0;
    for (String name : NAMES) {
      try {
        Class.forName(name, false, ClassLoader.getSystemClassLoader());
        loaded++;
      } catch (ClassNotFoundException | LinkageError e) {
        // another JDK's internals: nothing to load ahead, nothing for the JIT to bet on
      }
    }
    return loaded;
  }
}

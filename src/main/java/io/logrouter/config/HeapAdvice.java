package io.logrouter.config;

/**
 * Whether the JVM's maximum heap is far above what this router's settings use. Under load the JVM
 * grows into whatever heap it is allowed, so an uncapped router on a large machine reached 776 MB RSS
 * at saturation against 385-424 MB with the shipped cap (BENCHMARKS.md, bench/rss-saturation.sh):
 * memory the operator did not mean to give it.
 *
 * <p>What the settings need: a base for the server, meters, parsers and buffers, plus room for one
 * flush's batch twice over (read-ahead of the next batch while one loads) and the request bodies being
 * received ({@code http.max.inflight.body.bytes} when it is set; {@code auto} is a share of the heap,
 * so it follows the cap).
 */
public final class HeapAdvice {
  /** Server, meters, parser and queue buffers measured at saturation: 60-80 MB of heap in use. */
  static final long BASE_BYTES = 96L << 20;
  /** A warning only past this multiple of the need, and past {@link #QUIET_BYTES}: modest caps stay quiet. */
  private static final int SLACK = 4;
  private static final long QUIET_BYTES = 1L << 30;

  private HeapAdvice() {}

  /** The heap the settings need, in bytes. */
  public static long neededBytes(RouterConfig config) {
    long inflight = config.get(ConfigKeys.HTTP_MAX_INFLIGHT_BODY_BYTES);
    return BASE_BYTES + 2 * config.get(ConfigKeys.FLUSH_MAX_BYTES) + Math.max(0, inflight);
  }

  /** @return a one-line warning when {@code maxHeapBytes} is over 1 GB and {@link #SLACK} times the need, else null */
  public static String warning(RouterConfig config, long maxHeapBytes) {
    long needed = neededBytes(config);
    if (maxHeapBytes == Long.MAX_VALUE || maxHeapBytes <= Math.max(QUIET_BYTES, SLACK * needed)) {
      return null;
    }
    long neededMb = (needed >> 20) + 1;
    return "the JVM may grow its heap to " + (maxHeapBytes >> 20) + " MB, over " + SLACK + " times the ~" + neededMb
        + " MB these settings use: under load it grows into it (RSS). Cap it, e.g. java -Xmx" + roundUp(neededMb)
        + "m -XX:+UseSerialGC -jar log-router.jar (the Dockerfile's setting; see BENCHMARKS.md)";
  }

  private static long roundUp(long mb) {
    long power = 32;
    while (power < mb) {
      power *= 2;
    }
    return power;
  }
}

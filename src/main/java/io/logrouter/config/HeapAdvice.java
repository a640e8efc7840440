package io.logrouter.config;

/**
 * Whether the JVM's maximum heap is far above what this router's settings use. Under load the JVM
 * grows into whatever heap it is allowed, so an uncapped router on a large machine reached 776 MB RSS
 * at saturation against 236-251 MB with the shipped settings (BENCHMARKS.md, bench/rss-saturation.sh):
 * memory the operator did not mean to give it.
 *
 * <p>What the settings need: a base for the server, meters, parsers and buffers, plus room for one
 * flush's batch twice over (read-ahead of the next batch while one loads) and the request bodies being
 * received ({@code http.max.inflight.body.bytes} when it is set; {@code auto} is a share of the heap,
 * so it follows the cap).
 */
public final class HeapAdvice {
  /**
   * Server, meters, parsers and buffers, with room for the young generation: at saturation (single events,
   * then NDJSON, bench/rss-saturation.sh) a 64 MB SerialGC heap kept 25-37 MB live after each full GC, one
   * flush's batches included, but collected so often that NDJSON ingest halved; 96 MB did not.
   */
  static final long BASE_BYTES = 56L << 20;
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
        + "m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000 -jar log-router.jar (the Dockerfile's setting; see BENCHMARKS.md)";
  }

  /** Up to a multiple of 32 MB. */
  private static long roundUp(long mb) {
    return (mb + 31) / 32 * 32;
  }
}

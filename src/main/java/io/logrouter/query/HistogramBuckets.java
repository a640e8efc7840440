package io.logrouter.query;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The time buckets of a histogram over [from, to]: a width from a list of round ones (1 s … 12 h,
 * then whole days) so that at most about {@code wanted} buckets cover the window, and starts
 * aligned to multiples of the width since the epoch (UTC), so the same minute is the same bucket
 * whatever the window. The first bucket may start before {@code from}; only rows in the window count.
 */
record HistogramBuckets(LocalDateTime firstStart, long seconds, int count) {
  static final int DEFAULT_BUCKETS = 60;
  static final int MAX_BUCKETS = 1_000;
  private static final long DAY = 86_400;
  private static final long[] ROUND_WIDTHS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200,
      10_800, 21_600, 43_200, DAY};

  static HistogramBuckets of(LocalDateTime from, LocalDateTime to, int wanted) {
    long fromSecond = from.toEpochSecond(ZoneOffset.UTC);
    long toSecond = to.toEpochSecond(ZoneOffset.UTC);
    long span = toSecond - fromSecond + 1;
    long raw = Math.max(1, (span + wanted - 1) / wanted);
    long width = (raw + DAY - 1) / DAY * DAY;
    for (long round : ROUND_WIDTHS) {
      if (round >= raw) {
        width = round;
        break;
      }
    }
    long start = Math.floorDiv(fromSecond, width) * width;
    int count = (int) ((toSecond - start) / width + 1);
    return new HistogramBuckets(LocalDateTime.ofEpochSecond(start, 0, ZoneOffset.UTC), width, count);
  }

  LocalDateTime start(int bucket) {
    return firstStart.plusSeconds(bucket * seconds);
  }

  /** The bucket that holds {@code time} (a time inside the window). */
  int indexOf(LocalDateTime time) {
    return (int) ((time.toEpochSecond(ZoneOffset.UTC) - firstStart.toEpochSecond(ZoneOffset.UTC)) / seconds);
  }

  /** Bucket {@code bucket} alone, as a histogram of one bucket. */
  HistogramBuckets only(int bucket) {
    return new HistogramBuckets(start(bucket), seconds, 1);
  }
}

package io.logrouter.client.bench;

import io.logrouter.client.testkit.TestSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows landing in {@code logs} over time, sampled once a second from the router's per-minute counts
 * ({@code log_minute_counts}, committed in the same transaction as the rows they count): a few rows to
 * add up, where COUNT(*) scans a table growing by millions of rows. Not the highest id: LOAD DATA takes
 * auto-increment ids in blocks and leaves gaps (a 100,000-row flush moved MAX(id) by 131,070), which
 * overstated the rate by about a third. The final COUNT(*) the callers print checks the total.
 */
final class RowProgress implements AutoCloseable {
  private final TestSchema db;
  private final Thread sampler;
  private final List<long[]> samples = new ArrayList<>(); // {nanoTime, rows counted}; guarded by itself
  private volatile boolean stopped;

  RowProgress(TestSchema db) {
    this.db = db;
    this.sampler = new Thread(this::sample, "row-progress");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (!stopped) {
      long rows = db.queryLong("SELECT COALESCE(SUM(events), 0) FROM log_minute_counts");
      synchronized (samples) {
        samples.add(new long[] {System.nanoTime(), rows});
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Rows per second that landed between the samples nearest to {@code fromNanos} and {@code toNanos}. */
  double rate(long fromNanos, long toNanos) {
    long[] from = null;
    long[] to = null;
    synchronized (samples) {
      for (long[] s : samples) {
        if (from == null && s[0] >= fromNanos) {
          from = s;
        }
        if (s[0] <= toNanos) {
          to = s;
        }
      }
    }
    if (from == null || to == null || to[0] <= from[0]) {
      return Double.NaN;
    }
    return (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
  }

  /**
   * Waits until {@code logs} holds {@code expected} rows, or {@code timeoutMs} passed; returns the
   * count. COUNT(*) runs only once the id span (MAX - MIN + 1, never less than the row count)
   * reaches {@code expected}: the testkit's awaitRows scans the growing table with COUNT(*) five
   * times a second, work the database shares the 2 cores with the flush being measured.
   */
  long awaitRows(long expected, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (db.queryLong("SELECT COALESCE(MAX(id) - MIN(id) + 1, 0) FROM logs") >= expected) {
        long rows = db.rows();
        if (rows >= expected) {
          return rows;
        }
      }
      Thread.sleep(1000);
    }
    return db.rows();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    sampler.interrupt();
    sampler.join();
  }
}

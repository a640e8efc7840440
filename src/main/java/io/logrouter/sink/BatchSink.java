package io.logrouter.sink;

import io.logrouter.buffer.Batch;
import java.sql.SQLException;

/** Where the flusher commits batches: MySQL ({@link MySqlSink}), or an in-memory fake in tests. */
public interface BatchSink {
  /** Applies pending migrations once; retried by the flusher while the database is unreachable. */
  void ensureSchema() throws SQLException;

  /** @return the last committed queue index, or -1 when nothing ever was */
  long committedIndex() throws SQLException;

  /**
   * Commits the batch's events, a report of each damaged document and the offset
   * {@link Batch#lastIndex()} in one transaction. Safe to call again with the same batch after any
   * failure: a batch the offset already covers (a commit whose answer was lost) is not written twice.
   *
   * @throws SQLException when nothing was committed, or when the COMMIT's outcome is unknown
   *     (then the next call with the same batch finds out)
   */
  FlushResult write(Batch batch) throws SQLException;

  /**
   * Called about once a second by another thread than {@link #write}'s: ends a write the database stopped
   * taking in, so that {@link #write} fails and is retried instead of waiting forever. Sinks whose writes
   * cannot hang that way do nothing. @return whether it ended one
   */
  default boolean abortStuckWrite() {
    return false;
  }
}

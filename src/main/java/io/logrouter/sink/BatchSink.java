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
   * {@link Batch#lastIndex()} in one transaction.
   *
   * @throws SQLException when nothing was committed, or when the COMMIT's outcome is unknown
   *     (the caller resolves that with {@link #committedIndex()})
   */
  FlushResult write(Batch batch) throws SQLException;
}

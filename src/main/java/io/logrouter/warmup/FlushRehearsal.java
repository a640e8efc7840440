package io.logrouter.warmup;

import io.logrouter.buffer.Batch;
import io.logrouter.buffer.BatchSource;
import io.logrouter.sink.BatchSink;
import io.logrouter.sink.FlushResult;
import java.sql.SQLException;
import java.util.List;

/**
 * The warm-up's flushes: what the scratch server took is read from its scratch queue, the way the flusher reads,
 * and written by a sink of the router's own make whose tables are shadowed by temporary ones
 * ({@code sink.ShadowTables}), so that the compilers see the flush path (reading, LOAD DATA rows, the driver,
 * the commit) before the port opens and store nothing anyone can see.
 *
 * <p>Why (issue 13): with the request path compiled by the warm-up, the first real flush still set off some 200
 * compiles in one burst (-XX:+PrintCompilation: the LOAD DATA rows, the minute counts, Connector/J's packet
 * code), while requests were coming in; and those compiles threw away compiled socket code of the driver's.
 *
 * <p>{@link #NONE} when there is nothing to rehearse with (no database at start, no CREATE TEMPORARY TABLES
 * privilege): the warm-up then only serves requests, and its log line says why.
 */
public interface FlushRehearsal extends AutoCloseable {
  /** No rehearsal; {@link #absence()} says why. */
  static FlushRehearsal none(String why) {
    return new FlushRehearsal() {
      @Override
      public long flushAll() {
        return 0;
      }

      @Override
      public String absence() {
        return why;
      }

      @Override
      public void close() {}
    };
  }

  /** Rehearsal over {@code source} and {@code sink}, in batches of up to {@code maxBytes}; closes {@code owned}. */
  static FlushRehearsal of(BatchSource source, BatchSink sink, long maxBytes, List<AutoCloseable> owned) {
    return new Flushes(source, sink, maxBytes, owned);
  }

  /**
   * Writes everything the scratch queue took before this call, one batch after another.
   *
   * @return the rows stored (in the temporary tables)
   * @throws SQLException when a write fails: the rehearsal ends there
   */
  long flushAll() throws SQLException;

  /** Why there is no rehearsal, or null when there is one. */
  String absence();

  /** Ends the reading and drops the temporary tables. */
  @Override
  void close();

  /** The rehearsal proper: one reader, one sink, as a flush lane has. */
  final class Flushes implements FlushRehearsal {
    private final BatchSource source;
    private final BatchSink sink;
    private final long maxBytes;
    private final List<AutoCloseable> owned;

    private Flushes(BatchSource source, BatchSink sink, long maxBytes, List<AutoCloseable> owned) {
      this.source = source;
      this.sink = sink;
      this.maxBytes = maxBytes;
      this.owned = owned;
      source.resumeAfter(-1);
    }

    @Override
    public long flushAll() throws SQLException {
      long rows = 0;
      for (Batch batch = source.next(maxBytes); !batch.readNothing(); batch = source.next(maxBytes)) {
        FlushResult written = sink.write(batch);
        rows += written.rowsWritten() + written.rowsRejected();
        source.release(batch.passedTo());
      }
      return rows;
    }

    @Override
    public String absence() {
      return null;
    }

    @Override
    public void close() {
      source.close();
      for (AutoCloseable part : owned) {
        try {
          part.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the flush rehearsal's " + part + " failed", e);
        }
      }
    }
  }
}

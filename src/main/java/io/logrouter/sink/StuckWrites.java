package io.logrouter.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statement a flush has under way, seen from the flush-watch thread ({@link BatchSink#abortStuckWrite}).
 * A socket write has no timeout in Connector/J (socketTimeout bounds reads), so a database that stopped
 * reading (waiting on a full disk, or a partition TCP keeps retransmitting through) would hold the flusher
 * forever. A statement that made no progress for {@code flush.write.timeout} has its connection aborted: the
 * flush fails, the transaction rolls back (the server's too, when its socket closes) and the batch is
 * retried with back-off. Nothing is committed by halves, nothing is lost.
 *
 * <p>Progress of a LOAD DATA is the driver taking bytes from the rows' stream, which it does as the socket
 * takes them; an INSERT's bytes are written by the driver itself, so for it the whole statement's time counts
 * (its read of the answer is bounded by socketTimeout anyway, 120 s).
 */
final class StuckWrites {
  private static final Logger LOG = LoggerFactory.getLogger(StuckWrites.class);

  /** How long the statement has gone without progress at {@code nowNanos}; 0 while it is not writing. */
  interface Progress {
    long nanosWithoutProgress(long nowNanos);
  }

  /** Ends the watch of one statement. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  private record Statement(Connection connection, String what, Progress progress) {}

  private static final Statement NONE = new Statement(null, "", now -> 0);

  private final long timeoutNanos;
  private final AtomicReference<Statement> current = new AtomicReference<>(NONE);

  StuckWrites(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /** Watches {@code what} on {@code c} until the returned watch is closed (flusher thread). */
  Watch watch(Connection c, String what, Progress progress) {
    Statement statement = new Statement(c, what, progress);
    current.set(statement);
    return () -> current.compareAndSet(statement, NONE);
  }

  /** Watches an INSERT, whose progress the driver does not show: from now on. */
  Watch watchSince(Connection c, String what, long startNanos) {
    return watch(c, what, now -> now - startNanos);
  }

  /** Aborts the watched statement's connection if it is stuck (flush-watch thread). @return whether it did */
  boolean abortIfStuck(long nowNanos) {
    Statement statement = current.get();
    long stuckNanos = statement.progress().nanosWithoutProgress(nowNanos);
    if (statement == NONE || stuckNanos < timeoutNanos || !current.compareAndSet(statement, NONE)) {
      return false; // the compare-and-set: once per statement
    }
    LOG.error("the database has taken no bytes of the flush's {} for {} s (flush.write.timeout): its connection is"
        + " aborted and the batch retried", statement.what(), TimeUnit.NANOSECONDS.toSeconds(stuckNanos));
    try {
      statement.connection().abort(Runnable::run);
    } catch (SQLException e) {
      LOG.error("could not abort the stuck {} connection: {}", statement.what(), e.getMessage(), e);
    }
    return true;
  }
}

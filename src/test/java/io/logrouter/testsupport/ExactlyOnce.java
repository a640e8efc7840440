package io.logrouter.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;

/** Checks MySQL against what senders were told: every acked seq exactly once, no seq twice. */
public final class ExactlyOnce {
  private ExactlyOnce() {}

  public record Result(int acked, int present, int missing, int duplicated) {
    public boolean ok() {
      return missing == 0 && duplicated == 0;
    }
  }

  public static Result check(TestDatabase db, BitSet acked) {
    BitSet present = new BitSet();
    int duplicated = 0;
    try (Connection c = db.dataSource().getConnection(); Statement st = streaming(c);
        ResultSet rs = st.executeQuery("SELECT CAST(JSON_EXTRACT(attributes, '$.seq') AS UNSIGNED), COUNT(*)"
            + " FROM logs WHERE message = 'seq event' GROUP BY 1")) {
      while (rs.next()) {
        present.set(rs.getInt(1));
        if (rs.getInt(2) > 1) {
          duplicated++;
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    BitSet missing = (BitSet) acked.clone();
    missing.andNot(present);
    return new Result(acked.cardinality(), present.cardinality(), missing.cardinality(), duplicated);
  }

  /**
   * A statement whose rows Connector/J streams instead of buffering: a soak acks ten million events and more,
   * and their buffered rows filled the test JVM's 1 GB heap (OutageTest, 60 s cut, session 18).
   */
  private static Statement streaming(Connection c) throws SQLException {
    Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    st.setFetchSize(Integer.MIN_VALUE);
    return st;
  }

  /**
   * Waits until every acked seq is present (the flusher may still be draining), then checks. The wait
   * polls a row count first: the full check groups every row by its seq, which on millions of rows takes
   * seconds of the database's CPU that the drain it waits for needs.
   */
  public static Result awaitAndCheck(TestDatabase db, BitSet acked, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    awaitRows(db, acked.cardinality(), deadline);
    Result r = check(db, acked);
    while (r.missing() > 0 && System.nanoTime() < deadline) {
      pause(200);
      r = check(db, acked);
    }
    return r;
  }

  /** Waits until {@code logs} holds at least {@code rows} seq events or the deadline passes. */
  public static void awaitRows(TestDatabase db, long rows, long deadlineNanos) {
    while (db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'seq event'") < rows
        && System.nanoTime() < deadlineNanos) {
      pause(200);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the drain", e);
    }
  }
}

package io.logrouter.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
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
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
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

  /** Waits until every acked seq is present (the flusher may still be draining), then checks. */
  public static Result awaitAndCheck(TestDatabase db, BitSet acked, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Result r = check(db, acked);
    while (r.missing() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      r = check(db, acked);
    }
    return r;
  }
}

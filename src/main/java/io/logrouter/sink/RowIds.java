package io.logrouter.sink;

import io.logrouter.profile.IdGeneration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Who gives {@code logs.id} its values for one flush lane ({@code db.ids}, docs/SCALING.md §5).
 *
 * <p>{@link #SERVER}: the server (AUTO_INCREMENT); no id column is written. Writer-made: the lane owns a
 * <em>slot</em>, a row of {@code logs_id_writers} (V5) whose AUTO_INCREMENT number no other lane or router
 * ever gets, and counts its rows in its own offsets row ({@code router_offsets.next_id}). A flush's k-th
 * stored row gets the sequence {@code next_id + k}; the new {@code next_id} commits with the rows and the
 * offset. So ids need no central counter, and a flush that rolled back and is retried writes the very same
 * ids (the counter it read did not move).
 *
 * <p>A sequence is {@code slot << 44 | counter}: 2^44 rows per slot (over five years at 100,000 rows/s of
 * one lane), then the lane takes a new slot. The id is the sequence ({@link IdGeneration#WRITER}: slots up to
 * 2^19), or for {@link IdGeneration#WRITER_SCATTERED} the sequence with the counter's low five bits copied
 * to bits 58-62 (slots up to 2^14): consecutive rows spread over 32 ranges of the key, as TiDB's AUTO_RANDOM
 * does. Ids stay positive in a signed 64-bit value (the query API's cursor reads them as such).
 *
 * <p>The slot is taken in its own short transaction, never in the flush's: on Vitess {@code logs_id_writers}
 * lives in an unsharded keyspace, and the flush must stay a single-shard transaction.
 */
class RowIds {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RowIds.class);
  /** The server makes the ids. */
  static final RowIds SERVER = new RowIds();

  static final int COUNTER_BITS = 44;
  static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;
  static final int SCATTER_BITS = 5;
  private static final int SCATTER_SHIFT = 63 - SCATTER_BITS;
  /** {@code router_offsets.next_id} when the lane has no counter yet (NULL): it takes a slot first. */
  static final long NO_COUNTER = -1;

  RowIds() {}

  /** Writer-made ids of {@code generation}'s layout, or {@link #SERVER} for the AUTO_INCREMENT kinds. */
  static RowIds of(IdGeneration generation, DataSource slots, String routerId, int lane) {
    return generation.writerMade()
        ? new Writer(slots, routerId, lane, generation == IdGeneration.WRITER_SCATTERED) : SERVER;
  }

  /**
   * Server-made ids among writer-made ones would collide: an explicit id moves the table's AUTO_INCREMENT
   * counter past it, so the server's next ids are ids a writer's slot will make. A router on server ids
   * therefore refuses to flush once any writer took a slot, until restarted with the others' {@code db.ids}.
   *
   * @throws MixedIdsException then
   */
  void checkNoOtherKind(DataSource dataSource) {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM logs_id_writers")) {
      rs.next();
      if (rs.getLong(1) > 0) {
        MixedIdsException refused = new MixedIdsException("db.ids: this router lets the server make logs.id, but"
            + " routers with writer-made ids write this database (logs_id_writers has " + rs.getLong(1) + " rows): "
            + "nothing is flushed; restart it with the db.ids of the others (docs/SCALING.md §5)");
        LOG.error(refused.getMessage());
        throw refused;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not check logs_id_writers: " + e.getMessage(), e);
    }
  }

  /** Whether rows carry their id: the column lists of LOAD DATA and INSERT end with {@code id}. */
  boolean writerMade() {
    return false;
  }

  /**
   * The first sequence of a flush of {@code rows} rows, given the lane's committed {@code nextId}
   * ({@link #NO_COUNTER} when it has none); takes a new slot when there is no counter or no room in it.
   */
  long first(long nextId, int rows) throws SQLException {
    return NO_COUNTER;
  }

  /** The id of {@code sequence}. */
  long id(long sequence) {
    throw new UnsupportedOperationException("the server makes the ids");
  }

  /** What {@code router_offsets.next_id} holds after a flush that stored rows from {@code first}. */
  long nextAfter(long first, int rows) {
    return NO_COUNTER;
  }

  private static final class Writer extends RowIds {
    private final DataSource slots;
    private final String routerId;
    private final int lane;
    private final boolean scattered;
    private final long maxSlot;

    Writer(DataSource slots, String routerId, int lane, boolean scattered) {
      this.slots = slots;
      this.routerId = routerId;
      this.lane = lane;
      this.scattered = scattered;
      this.maxSlot = (1L << (63 - COUNTER_BITS - (scattered ? SCATTER_BITS : 0))) - 1;
    }

    @Override
    boolean writerMade() {
      return true;
    }

    /** Writers among writers: slots keep them apart. */
    @Override
    void checkNoOtherKind(DataSource dataSource) {}

    @Override
    long first(long nextId, int rows) throws SQLException {
      if (rows == 0) {
        return nextId;
      }
      if (nextId != NO_COUNTER && (nextId & COUNTER_MASK) + rows <= COUNTER_MASK + 1) {
        return nextId;
      }
      return slotToFill(nextId == NO_COUNTER ? 0 : nextId >>> COUNTER_BITS) << COUNTER_BITS;
    }

    @Override
    long id(long sequence) {
      return scattered ? (sequence & ((1L << SCATTER_BITS) - 1)) << SCATTER_SHIFT | sequence : sequence;
    }

    @Override
    long nextAfter(long first, int rows) {
      return rows == 0 ? first : first + rows;
    }

    /**
     * The lane's newest slot if no row was ever stored in it, else a new one. A slot is taken before the flush
     * that first fills it commits; when that flush rolls back (a database outage, a kill -9), the retry or the
     * restarted router must fill the same slot, or each failed first flush would use up one of the 2^14
     * scattered slots. The probe for rows guards against a counter an operator reset by hand.
     */
    private long slotToFill(long committedSlot) throws SQLException {
      try (Connection c = slots.getConnection()) {
        c.setAutoCommit(true);
        long newest = newestSlot(c);
        return newest > committedSlot && !holdsRows(c, newest) ? newest : takeSlot(c);
      }
    }

    private long newestSlot(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COALESCE(MAX(slot), 0) FROM logs_id_writers WHERE router_id = ? AND lane = ?")) {
        ps.setString(1, routerId);
        ps.setInt(2, lane);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    /** Whether {@code logs} has an id of {@code slot}: one primary-key range per scatter range. */
    private boolean holdsRows(Connection c, long slot) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM logs WHERE router_id = ? AND id BETWEEN ? AND ? LIMIT 1")) {
        ps.setString(1, routerId);
        for (long range = 0; range < (scattered ? 1L << SCATTER_BITS : 1); range++) {
          long low = range << SCATTER_SHIFT | slot << COUNTER_BITS;
          ps.setLong(2, low);
          ps.setLong(3, low | COUNTER_MASK);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return true;
            }
          }
        }
        return false;
      }
    }

    /** A slot no other writer ever had, committed on its own (see the class comment). */
    private long takeSlot(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO logs_id_writers (router_id, lane, created_at)"
          + " VALUES (?, ?, UTC_TIMESTAMP(6))", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, routerId);
        ps.setInt(2, lane);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("logs_id_writers gave no slot number");
          }
          long slot = keys.getLong(1);
          if (slot < 1 || slot > maxSlot) {
            throw new IllegalStateException("logs_id_writers handed out slot " + slot + ", past the " + maxSlot
                + " this id layout holds; writer-made ids cannot go on (docs/SCALING.md §5)");
          }
          return slot;
        }
      }
    }
  }
}

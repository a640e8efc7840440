package io.logrouter.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * All SQL on {@code router_offsets}: one row per router and flush lane, the last queue index that lane
 * committed. The row is written in the flush's own transaction; it is the only commit point.
 */
final class OffsetRows {
  private static final String SELECT = "SELECT last_index, next_id FROM router_offsets WHERE router_id = ? AND lane = ?";
  /** Moves the offset only (lane layout changes): a lane's id counter stays with its row. */
  private static final String UPSERT = "INSERT INTO router_offsets (router_id, lane, last_index, updated_at)"
      + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE last_index = ?, updated_at = ?"; // VALUES() is deprecated in MySQL 8
  /** A flush's commit point: the offset and the lane's id counter ({@link RowIds}). */
  private static final String FLUSH_UPSERT = "INSERT INTO router_offsets (router_id, lane, last_index, updated_at,"
      + " next_id) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE last_index = ?, updated_at = ?, next_id = ?";

  /** A lane's row: its committed index (-1: no row) and id counter ({@link RowIds#NO_COUNTER}: none). */
  record Row(long lastIndex, long nextId) {}

  private final String routerId;
  private final int lane;

  OffsetRows(String routerId, int lane) {
    this.routerId = routerId;
    this.lane = lane;
  }

  /**
   * This lane's committed index, or -1 when it has no row.
   *
   * @param lock whether to lock the row until the transaction ends ({@code FOR UPDATE})
   */
  long read(Connection c, boolean lock) throws SQLException {
    return readRow(c, lock).lastIndex();
  }

  /** This lane's row, as {@link #read}. */
  Row readRow(Connection c, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(lock ? SELECT + " FOR UPDATE" : SELECT)) {
      ps.setString(1, routerId);
      ps.setInt(2, lane);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new Row(-1, RowIds.NO_COUNTER);
        }
        long lastIndex = rs.getLong(1);
        long nextId = rs.getLong(2);
        return new Row(lastIndex, rs.wasNull() ? RowIds.NO_COUNTER : nextId); // wasNull: of the last column read
      }
    }
  }

  /** The flush's commit point: the last index it stored and the lane's id counter after it (or NO_COUNTER). */
  void write(Connection c, long index, long nextId, String now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FLUSH_UPSERT)) {
      ps.setString(1, routerId);
      ps.setInt(2, lane);
      ps.setLong(3, index);
      ps.setString(4, now);
      setNextId(ps, 5, nextId);
      ps.setLong(6, index);
      ps.setString(7, now);
      setNextId(ps, 8, nextId);
      ps.executeUpdate();
    }
  }

  private static void setNextId(PreparedStatement ps, int parameter, long nextId) throws SQLException {
    if (nextId == RowIds.NO_COUNTER) {
      ps.setNull(parameter, java.sql.Types.BIGINT);
    } else {
      ps.setLong(parameter, nextId);
    }
  }

  /** Every lane row of the router: lane → committed index. */
  static SortedMap<Integer, Long> lanes(Connection c, String routerId) throws SQLException {
    SortedMap<Integer, Long> lanes = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT lane, last_index FROM router_offsets WHERE router_id = ? ORDER BY lane")) {
      ps.setString(1, routerId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lanes.put(rs.getInt(1), rs.getLong(2));
        }
      }
    }
    return lanes;
  }

  /**
   * Sets the router's rows for lanes 0..lanes-1 to {@code index} and deletes those of higher lanes, in the
   * caller's transaction. The DELETE runs only when such rows exist (lowering {@code flush.lanes}), so the
   * documented runtime grants (SELECT, INSERT, UPDATE) suffice otherwise.
   */
  static void relayout(Connection c, String routerId, int lanes, long index, String now) throws SQLException {
    for (int lane = 0; lane < lanes; lane++) {
      write(c, routerId, lane, index, now);
    }
    SortedMap<Integer, Long> rows = lanes(c, routerId);
    if (!rows.isEmpty() && rows.lastKey() >= lanes) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM router_offsets WHERE router_id = ? AND lane >= ?")) {
        ps.setString(1, routerId);
        ps.setInt(2, lanes);
        ps.executeUpdate();
      }
    }
  }

  private static void write(Connection c, String routerId, int lane, long index, String now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      ps.setString(1, routerId);
      ps.setInt(2, lane);
      ps.setLong(3, index);
      ps.setString(4, now);
      ps.setLong(5, index);
      ps.setString(6, now);
      ps.executeUpdate();
    }
  }
}

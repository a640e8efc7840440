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
  private static final String SELECT = "SELECT last_index FROM router_offsets WHERE router_id = ? AND lane = ?";
  private static final String UPSERT = "INSERT INTO router_offsets (router_id, lane, last_index, updated_at)"
      + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE last_index = ?, updated_at = ?"; // VALUES() is deprecated in MySQL 8

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
    try (PreparedStatement ps = c.prepareStatement(lock ? SELECT + " FOR UPDATE" : SELECT)) {
      ps.setString(1, routerId);
      ps.setInt(2, lane);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  void write(Connection c, long index, String now) throws SQLException {
    write(c, routerId, lane, index, now);
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

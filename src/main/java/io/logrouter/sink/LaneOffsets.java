package io.logrouter.sink;

import java.sql.SQLException;
import java.util.SortedMap;

/** A router's offsets rows across its flush lanes, as the check of a {@code flush.lanes} change needs them. */
public interface LaneOffsets {
  /** lane → last committed queue index, for every lane row the router has (empty: it never committed). */
  SortedMap<Integer, Long> read() throws SQLException;

  /** Makes the router's lane rows exactly 0..lanes-1, each at {@code index}, in one transaction. */
  void relayout(int lanes, long index) throws SQLException;
}

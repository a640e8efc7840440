package io.logrouter.sink;

import io.logrouter.event.LogEvent;
import io.logrouter.event.Timestamps;
import io.logrouter.profile.DbProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * Writes a batch's rows with multi-row INSERTs (Connector/J rewrites the JDBC batch into statements of about
 * {@code flush.statement.bytes}): the path for engines without LOAD DATA LOCAL, and the strict fallback when a
 * load warned. A statement MySQL refuses for its data is halved, each half behind a savepoint, until the bad
 * rows stand alone; those go to {@code logs_rejected} in the same transaction. Thread ownership: the flusher.
 */
final class InsertWriter {
  private static final String INSERT_LOG = "INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?)";
  /** With writer-made ids ({@link RowIds}): the id is the last parameter. */
  private static final String INSERT_LOG_WITH_ID = "INSERT INTO logs (ts, level, source, message, attributes,"
      + " received_at, router_id, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  /** Per-row overhead of a multi-row INSERT beyond its values: "(...)," and quoting, rounded up. */
  private static final int ROW_OVERHEAD_BYTES = 96;

  private final String routerId;
  private final long statementBytes;
  private final DbProfile profile;
  private final DeadLetters deadLetters;
  private final StuckWrites writes;

  InsertWriter(String routerId, long statementBytes, DbProfile profile, DeadLetters deadLetters, StuckWrites writes) {
    this.routerId = routerId;
    this.statementBytes = statementBytes;
    this.profile = profile;
    this.deadLetters = deadLetters;
    this.writes = writes;
  }

  /** One call's rows: where they are, their ids, and where each stored row is counted. */
  private record Rows(List<LogEvent> events, RowIds ids, long firstId, MinuteCounts counts, String now) {}

  /**
   * Inserts {@code events}; the k-th gets the id of sequence {@code firstId + k} (writer-made ids), and each
   * stored row is added to {@code counts}. @return how many went to {@code logs_rejected}
   */
  int insert(Connection c, List<LogEvent> events, RowIds ids, long firstId, MinuteCounts counts, String now)
      throws SQLException {
    Rows rows = new Rows(events, ids, firstId, counts, now);
    int rejected = 0;
    try (PreparedStatement insert = c.prepareStatement(ids.writerMade() ? INSERT_LOG_WITH_ID : INSERT_LOG)) {
      int chunkStart = 0;
      long chunkBytes = 0;
      for (int i = 0; i < events.size(); i++) {
        chunkBytes += estimateBytes(events.get(i));
        if (chunkBytes >= statementBytes || i == events.size() - 1) {
          rejected += insertChunk(c, insert, rows, chunkStart, i + 1);
          chunkStart = i + 1;
          chunkBytes = 0;
        }
      }
    }
    return rejected;
  }

  /** Inserts rows [from, to); on a data error, halves the range until the bad rows stand alone. @return rejected */
  private int insertChunk(Connection c, PreparedStatement insert, Rows rows, int from, int to) throws SQLException {
    Savepoint savepoint = c.setSavepoint();
    try {
      for (int i = from; i < to; i++) {
        bind(insert, rows.events().get(i));
        if (rows.ids().writerMade()) {
          insert.setLong(8, rows.ids().id(rows.firstId() + i));
        }
        insert.addBatch();
      }
      try (StuckWrites.Watch watched = writes.watchSince(c, "INSERT", System.nanoTime())) {
        insert.executeBatch();
      }
      c.releaseSavepoint(savepoint);
      for (int i = from; i < to; i++) {
        LogEvent e = rows.events().get(i);
        rows.counts().add(e.tsMicros(), e.level(), e.source());
      }
      return 0;
    } catch (SQLException e) {
      insert.clearBatch();
      if (!SqlErrors.isPermanentDataError(e, profile)) {
        throw e;
      }
      c.rollback(savepoint);
      if (to - from == 1) {
        deadLetters.write(c, rows.events().get(from), e, rows.now());
        return 1;
      }
      int middle = (from + to) >>> 1;
      return insertChunk(c, insert, rows, from, middle) + insertChunk(c, insert, rows, middle, to);
    }
  }

  private void bind(PreparedStatement ps, LogEvent e) throws SQLException {
    ps.setString(1, Timestamps.toSqlText(e.tsMicros()));
    ps.setString(2, e.level());
    ps.setString(3, e.source());
    ps.setString(4, e.message());
    ps.setString(5, e.attributes());
    ps.setString(6, Timestamps.toSqlText(e.receivedMicros()));
    ps.setString(7, routerId);
  }

  private static long estimateBytes(LogEvent e) {
    return ROW_OVERHEAD_BYTES + length(e.level()) + length(e.source()) + 3L * length(e.message())
        + 3L * length(e.attributes());
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}

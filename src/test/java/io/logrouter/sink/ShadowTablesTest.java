package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.buffer.Batch;
import io.logrouter.event.LogEvent;
import io.logrouter.profile.DbProfile;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush over {@link ShadowTables} (the start-up warm-up's rehearsal) runs every statement of a real one and
 * leaves every table of the schema as it was: rows, counts, offsets, keys.
 */
class ShadowTablesTest {
  private static final String ROUTER = "shadow-router";

  @TempDir
  Path sandbox;

  private static List<LogEvent> events(int n, String prefix) {
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long ts = 1_700_000_000_000_000L + i * 1_000_000L;
      events.add(new LogEvent(0, ts, ts + 5, i % 3 == 0 ? "ERROR" : "INFO", "src-" + i % 4, prefix + " " + i,
          "{\"i\":" + i + "}"));
    }
    return events;
  }

  private MySqlSink sink(javax.sql.DataSource connections) {
    return MySqlSink.builder(connections, ROUTER).loadData(sandbox).profile(DbProfile.MARIADB).build();
  }

  private ShadowTables shadowOf(TestDatabase db) throws SQLException {
    return ShadowTables.open(DataSources.create(db.jdbcUrl(), db.user(), db.password(), 1, "test-shadow", sandbox));
  }

  /** Every base table of the schema with its row count and checksum: what a leak into any of them changes. */
  private static List<String> everyTable(TestDatabase db) {
    List<String> tables = db.queryRows("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
        + db.schema() + "' AND table_type = 'BASE TABLE' ORDER BY table_name");
    List<String> state = new ArrayList<>();
    for (String table : tables) {
      state.add(table + " rows " + db.queryLong("SELECT COUNT(*) FROM " + table) + " checksum "
          + db.queryRows("CHECKSUM TABLE " + table));
    }
    return state;
  }

  private static long countOn(javax.sql.DataSource connections, String sql) throws SQLException {
    try (Connection c = connections.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aFlushOverTheShadowStoresItsRowsThereAndChangesNoTableOfTheSchema() throws Exception {
    try (TestDatabase db = TestDatabase.create("shadow_flush")) {
      sink(db.dataSource()).write(Documents.batchOf(events(50, "real")));
      List<String> before = everyTable(db);
      assertTrue(before.size() >= ShadowTables.FLUSH_TABLES.size(), before.toString());

      try (ShadowTables shadow = shadowOf(db)) {
        MySqlSink rehearsing = sink(shadow.dataSource());
        Batch first = Documents.batchOf(events(2_000, "rehearsed"));
        FlushResult written = rehearsing.write(first);
        assertEquals(2_000, written.rowsWritten());
        // What the flush stored is there, in the session's own tables: the shadow saw a real flush.
        assertEquals(2_000, countOn(shadow.dataSource(), "SELECT COUNT(*) FROM logs"));
        assertEquals(2_000, countOn(shadow.dataSource(), "SELECT SUM(events) FROM log_minute_counts"));
        assertEquals(first.lastIndex(), countOn(shadow.dataSource(), "SELECT last_index FROM router_offsets"));
        assertEquals(0, countOn(shadow.dataSource(), "SELECT COUNT(*) FROM logs WHERE message LIKE 'real%'"));
        assertEquals(before, everyTable(db), "while the shadow is open");
      }
      assertEquals(before, everyTable(db), "after it closed");
      assertEquals(50, db.queryLong("SELECT COUNT(*) FROM logs"));
    }
  }

  @Test
  void aPartitionedLogsTableIsShadowedByAnUnpartitionedOne() throws Exception {
    try (TestDatabase db = TestDatabase.create("shadow_parts")) {
      db.execute("ALTER TABLE logs PARTITION BY RANGE COLUMNS (ts) (PARTITION p20231114 VALUES LESS THAN "
          + "('2023-11-15'), PARTITION pfuture VALUES LESS THAN (MAXVALUE))");
      List<String> before = everyTable(db);
      try (ShadowTables shadow = shadowOf(db)) {
        assertEquals(300, sink(shadow.dataSource()).write(Documents.batchOf(events(300, "rehearsed"))).rowsWritten());
      }
      assertEquals(before, everyTable(db));
      assertEquals(2, db.queryLong("SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = '"
          + db.schema() + "' AND table_name = 'logs'"), "the real table keeps its partitions");
    }
  }

  @Test
  void aConnectionThatLostItsSessionIsRefusedBeforeAnyStatement() throws Exception {
    try (TestDatabase db = TestDatabase.create("shadow_cut")) {
      List<String> before = everyTable(db);
      try (ShadowTables shadow = shadowOf(db)) {
        long id = countOn(shadow.dataSource(), "SELECT CONNECTION_ID()");
        db.execute("KILL " + id); // the pool opens a new connection: no temporary tables in its session
        MySqlSink rehearsing = sink(shadow.dataSource());
        Batch batch = Documents.batchOf(events(100, "after the cut"));
        SQLException refused = null;
        for (int attempt = 0; attempt < 3; attempt++) { // the first may fail on the dead socket itself
          refused = assertThrows(SQLException.class, () -> rehearsing.write(batch));
        }
        assertTrue(refused.getMessage().contains("temporary tables"), refused.toString());
      }
      assertEquals(before, everyTable(db), "nothing reached the real tables");
    }
  }

  @Test
  void theTemporaryCopyDropsPartitioningInEitherServersSpelling() {
    String columns = "CREATE TABLE `logs` (\n  `id` bigint(20) NOT NULL AUTO_INCREMENT,\n  `ts` datetime(6) NOT NULL,\n"
        + "  PRIMARY KEY (`id`,`ts`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    String expected = "CREATE TEMPORARY TABLE " + columns.substring("CREATE TABLE ".length());
    assertEquals(expected, ShadowTables.temporaryCopy(columns));
    assertEquals(expected, ShadowTables.temporaryCopy(columns
        + "\n PARTITION BY RANGE  COLUMNS(`ts`)\n(PARTITION `p1` VALUES LESS THAN ('2023-11-15') ENGINE = InnoDB)"));
    assertEquals(expected, ShadowTables.temporaryCopy(columns
        + "\n/*!50500 PARTITION BY RANGE  COLUMNS(ts)\n(PARTITION p1 VALUES LESS THAN ('2023-11-15') ENGINE = InnoDB) */"));
  }
}

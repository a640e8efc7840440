package io.logrouter.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.config.ConfigException;
import io.logrouter.config.ConfigKeys;
import io.logrouter.config.RouterConfig;
import io.logrouter.profile.DbProfile;
import io.logrouter.profile.IdGeneration;
import io.logrouter.sink.SqlErrors;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * db.profile: each engine's limits turn into the caps the flusher uses, and the errors each engine
 * sends are classified. The Galera errors below are the codes and texts MariaDB 10.11 + galera-4 26.4
 * returned on this machine (scripts/galera-cluster.sh).
 */
class DbProfileTest {
  private static final long MB = 1L << 20;

  @Test
  void dbProfileKeyPicksTheProfileAndRefusesUnknownEngines() {
    assertSame(DbProfile.MYSQL, RouterConfig.of(Map.of()).get(ConfigKeys.DB_PROFILE));
    assertSame(DbProfile.GALERA, RouterConfig.of(Map.of("db.profile", "Galera")).get(ConfigKeys.DB_PROFILE));
    assertSame(DbProfile.GROUP_REPLICATION,
        RouterConfig.of(Map.of("db.profile", "group-replication")).get(ConfigKeys.DB_PROFILE));
    ConfigException e = assertThrows(ConfigException.class, () -> RouterConfig.of(Map.of("db.profile", "oracle")));
    assertTrue(e.getMessage().contains("db.profile") && e.getMessage().contains("tidb"), e.getMessage());
  }

  @Test
  void dbIdsTakesTheProfilesChoiceUnlessSetAndRefusesUnknownValues() {
    assertSame(IdGeneration.AUTO_INCREMENT, IdGeneration.chosen("profile", DbProfile.MYSQL));
    assertSame(IdGeneration.AUTO_INCREMENT_PER_NODE, IdGeneration.chosen("profile", DbProfile.GALERA));
    assertSame(IdGeneration.WRITER_SCATTERED, IdGeneration.chosen("profile", DbProfile.TIDB));
    assertSame(IdGeneration.WRITER, IdGeneration.chosen("profile", DbProfile.VITESS));
    assertSame(IdGeneration.AUTO_INCREMENT, IdGeneration.chosen("auto_increment", DbProfile.TIDB));
    assertSame(IdGeneration.AUTO_INCREMENT_PER_NODE, IdGeneration.chosen("AUTO_INCREMENT", DbProfile.GALERA));
    assertSame(IdGeneration.WRITER, IdGeneration.chosen(" writer ", DbProfile.MYSQL));
    assertEquals("profile", RouterConfig.of(Map.of()).get(ConfigKeys.DB_IDS));
    ConfigException e = assertThrows(ConfigException.class, () -> RouterConfig.of(Map.of("db.ids", "uuid")));
    assertTrue(e.getMessage().contains("db.ids") && e.getMessage().contains("writer_scattered"), e.getMessage());
  }

  @Test
  void loadDataOnlyWhereItRunsInsideTheFlushTransaction() {
    assertTrue(DbProfile.MYSQL.loadDataLocal());
    assertTrue(DbProfile.MARIADB.loadDataLocal());
    assertTrue(DbProfile.GALERA.loadDataLocal());
    assertTrue(DbProfile.GROUP_REPLICATION.loadDataLocal());
    assertFalse(DbProfile.TIDB.loadDataLocal(), "TiDB < 7.6 commits LOAD DATA on its own every 20k rows");
    assertFalse(DbProfile.VITESS.loadDataLocal(), "vtgate has no LOAD DATA on sharded keyspaces");
  }

  @Test
  void flushesAreCappedWellBelowEachEnginesTransactionLimits() {
    long asked = 256 * MB;
    assertEquals(asked, DbProfile.MYSQL.flushBytes(asked), "a single server has no transaction limit of its own");
    assertEquals(32 * MB, DbProfile.GALERA.flushBytes(asked));
    assertEquals(150_000_000L / 4, DbProfile.GROUP_REPLICATION.flushBytes(asked));
    assertEquals(25 * MB, DbProfile.TIDB.flushBytes(asked));
    assertEquals(10 * MB, DbProfile.VITESS.flushBytes(asked), "20 s transactions at 2 MB/s, a quarter of it");
    assertEquals(MB, DbProfile.VITESS.flushBytes(MB), "a smaller setting stays");
  }

  @Test
  void statementsStayBelowTheEnginesLargestPacket() {
    assertEquals(4 * MB, DbProfile.MARIADB.statementBytes(64 * MB));
    assertEquals(16 * MB, DbProfile.TIDB.statementBytes(64 * MB));
    assertEquals(4 * MB, DbProfile.MYSQL.statementBytes(4 * MB));
  }

  @Test
  void galeraConflictsAndUnreadyNodesAreTransientAndRetried() {
    SQLException certification = new SQLException(
        "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
    SQLException notReady = new SQLException("WSREP has not yet prepared node for application use", "08S01", 1047);
    for (SQLException e : new SQLException[] {certification, notReady}) {
      assertTrue(DbProfile.GALERA.isRetryable(e.getErrorCode()));
      assertFalse(SqlErrors.isPermanentDataError(e, DbProfile.GALERA));
      assertFalse(SqlErrors.isTransactionTooLarge(e, DbProfile.GALERA));
    }
  }

  @Test
  void writeSetLimitsAreTooLargeNotARowsFaultNorTransient() {
    SQLException wsSize = new SQLException("Maximum writeset size exceeded", "HY000", 1105);
    SQLException wsRows = new SQLException("wsrep_max_ws_rows exceeded", "HY000", 1180);
    for (SQLException e : new SQLException[] {wsSize, wsRows}) {
      assertTrue(SqlErrors.isTransactionTooLarge(e, DbProfile.GALERA), e.getMessage());
      assertFalse(SqlErrors.isPermanentDataError(e, DbProfile.GALERA), "no row goes to logs_rejected for it");
      assertFalse(SqlErrors.isTransactionTooLarge(e, DbProfile.MYSQL), "only where the engine has the limit");
    }
    assertTrue(SqlErrors.isTransactionTooLarge(new SQLException("Transaction is too large, size: 104857600", "HY000",
        8004), DbProfile.TIDB));
    assertTrue(SqlErrors.isTransactionTooLarge(new SQLException("Error on observer while running replication hook "
        + "'before_commit'. Transaction of size 160000000 exceeds specified limit 150000000. To increase the limit "
        + "please adjust group_replication_transaction_size_limit option.", "HY000", 3100), DbProfile.GROUP_REPLICATION));
  }

  @Test
  void onlyClustersReadTheCommitPointCausally() {
    assertEquals("SET SESSION wsrep_sync_wait = 1", DbProfile.GALERA.causalReadStatement());
    assertTrue(DbProfile.GROUP_REPLICATION.causalReadStatement().contains("group_replication_consistency"));
    assertEquals("", DbProfile.MYSQL.causalReadStatement());
    assertEquals("", DbProfile.TIDB.causalReadStatement(), "TiDB reads are strongly consistent already");
  }
}

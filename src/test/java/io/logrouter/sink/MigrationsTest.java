package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.logrouter.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  @Test
  void schemaCreatesTablesAndSecondRunAppliesNothing() {
    try (TestDatabase db = TestDatabase.create("migrations")) {
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"));
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM router_offsets"));
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"));
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM log_minute_counts"));
      assertEquals(0, Migrations.migrate(db.dataSource()));
    }
  }

  /**
   * A migration that failed (here V2's CREATE TABLE meets a table in its way; on Galera a certification
   * conflict did it) must not block every later start: MariaDB keeps no DDL transaction, so Flyway would
   * record it as failed and refuse to migrate until a manual repair. Once the cause is gone, the next
   * attempt applies it.
   */
  @Test
  void aMigrationThatFailedRunsAgainOnTheNextAttempt() throws Exception {
    try (TestDatabase admin = TestDatabase.create("migrations_retry")) {
      String schema = admin.schema() + "_fresh";
      try (HikariDataSource fresh = schemaAtVersion(admin, schema, "1")) {
        admin.execute("CREATE TABLE " + schema + ".ingest_keys (in_the_way INT)");
        org.junit.jupiter.api.Assertions.assertThrows(org.flywaydb.core.api.FlywayException.class,
            () -> Migrations.migrate(fresh), "V2 fails: its table is in the way");
        admin.execute("DROP TABLE " + schema + ".ingest_keys");
        assertEquals(5, Migrations.migrate(fresh), "V2 to V6 applied on the next attempt");
        assertEquals(0, admin.queryLong("SELECT COUNT(*) FROM " + schema + ".log_router_schema_history WHERE NOT success"));
      } finally {
        admin.execute("DROP DATABASE IF EXISTS " + schema);
      }
    }
  }

  /** Rows stored before V4 are counted by V4 itself: the histogram's counts cover them from the start. */
  @Test
  void v4CountsTheRowsAlreadyStored() throws Exception {
    try (TestDatabase admin = TestDatabase.create("migrations_v4")) {
      String schema = admin.schema() + "_old";
      try (HikariDataSource old = schemaAtVersion(admin, schema, "2")) {
        try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
          st.execute("INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id) VALUES"
              + " ('2024-10-08 10:00:00', 'INFO', 'auth', 'a', '{}', NOW(), 'r1'),"
              + " ('2024-10-08 10:00:59.999999', 'INFO', 'Auth', 'b', '{}', NOW(), 'r1'),"
              + " ('2024-10-08 10:00:30', 'INFO', NULL, 'c', '{}', NOW(), 'r1'),"
              + " ('2024-10-08 10:01:00', 'ERROR', 'auth', 'd', '{}', NOW(), 'r1'),"
              + " ('2024-10-08 10:01:00', 'ERROR', 'auth', 'e', '{}', NOW(), 'r2')");
          Migrations.migrate(old);
          assertEquals(List.of("2024-10-08 10:00:00|INFO|r1|0|3", "2024-10-08 10:01:00|ERROR|r1|0|1",
              "2024-10-08 10:01:00|ERROR|r2|0|1"), admin.queryRows("SELECT minute, level, router_id, lane, events"
              + " FROM " + schema + ".log_minute_counts ORDER BY minute, level, router_id"));
          assertEquals(List.of("|2024-10-08 10:00:00|INFO|r1|1", "AUTH|2024-10-08 10:00:00|INFO|r1|2",
              "AUTH|2024-10-08 10:01:00|ERROR|r1|1", "AUTH|2024-10-08 10:01:00|ERROR|r2|1"),
              admin.queryRows("SELECT UPPER(source), minute, level, router_id, events FROM " + schema + ".log_source_minute_counts"
                  + " ORDER BY source, minute, level, router_id"));
        }
      } finally {
        admin.execute("DROP DATABASE IF EXISTS " + schema);
      }
    }
  }

  /** A new schema beside {@code admin}'s, migrated up to {@code version} only: a database of an older router. */
  private static HikariDataSource schemaAtVersion(TestDatabase admin, String schema, String version) {
    admin.execute("DROP DATABASE IF EXISTS " + schema);
    admin.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci");
    String url = admin.jdbcUrl().replace("/" + admin.schema(), "/" + schema);
    HikariDataSource dataSource = DataSources.create(url, admin.user(), admin.password(), 2, "old-" + schema);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").table("log_router_schema_history")
        .target(version).load().migrate();
    return dataSource;
  }
}

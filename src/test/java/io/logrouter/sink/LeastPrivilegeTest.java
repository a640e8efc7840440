package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router end to end with a runtime user that holds only SELECT, INSERT and UPDATE on the
 * router's tables (logs, logs_rejected, router_offsets and the two counts tables), migrations
 * running as a separate DDL user (the test server's admin).
 */
class LeastPrivilegeTest {
  static final String PASSWORD = "Rt-" + UUID.randomUUID();
  static final String USER = "lr_rt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @TempDir
  static Path dir;
  static TestDatabase admin;
  static String schema;
  static String url;

  @BeforeAll
  static void createSchemaAndUser() {
    admin = TestDatabase.create("least_priv");
    schema = admin.schema() + "_fresh";
    url = admin.jdbcUrl().replace("/" + admin.schema(), "/" + schema);
    admin.execute("DROP DATABASE IF EXISTS " + schema);
    admin.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci");
    // '%': the test server may be a container, where the client's address is not loopback.
    admin.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
    // Before the tables exist, grants can only name the schema; narrowed to the tables below.
    admin.execute("GRANT SELECT, INSERT, UPDATE ON " + schema + ".* TO '" + USER + "'@'%'");
  }

  @AfterAll
  static void dropUserAndSchema() {
    admin.execute("DROP USER IF EXISTS '" + USER + "'@'%'");
    admin.execute("DROP DATABASE IF EXISTS " + schema);
    admin.close();
  }

  private static Map<String, String> config() {
    Map<String, String> c = new HashMap<>();
    c.put("db.url", url);
    c.put("db.user", USER);
    c.put("db.password", PASSWORD);
    c.put("db.migrate.user", admin.user());
    c.put("db.migrate.password", admin.password());
    return c;
  }

  @Test
  void routerMigratesAsTheDdlUserThenIngestsFlushesAndQueriesWithTableGrantsOnly() throws SQLException {
    try (RouterHarness router = RouterHarness.start(admin, dir.resolve("q"), config())) {
      assertEquals(202, router.post("/log", "{\"message\":\"first\"}").status());
      assertEquals(1, router.flush(), "migrated by the DDL user, written by the runtime user");
    }
    admin.execute("REVOKE ALL PRIVILEGES, GRANT OPTION FROM '" + USER + "'@'%'");
    admin.execute("GRANT SELECT, INSERT ON " + schema + ".logs TO '" + USER + "'@'%'");
    admin.execute("GRANT SELECT, INSERT, UPDATE ON " + schema + ".router_offsets TO '" + USER + "'@'%'");
    admin.execute("GRANT SELECT, INSERT ON " + schema + ".logs_rejected TO '" + USER + "'@'%'");
    admin.execute("GRANT SELECT, INSERT, UPDATE ON " + schema + ".log_minute_counts TO '" + USER + "'@'%'");
    admin.execute("GRANT SELECT, INSERT, UPDATE ON " + schema + ".log_source_minute_counts TO '" + USER + "'@'%'");
    admin.execute("GRANT SELECT, INSERT ON " + schema + ".logs_id_writers TO '" + USER + "'@'%'");
    try (RouterHarness router = RouterHarness.start(admin, dir.resolve("q"), config())) {
      assertEquals(202, router.post("/log", "{\"message\":\"second\",\"n\":2}").status());
      assertEquals(1, router.flush());
      RouterHarness.Response page = router.get("/logs?contains=second");
      assertEquals(200, page.status(), page.body());
      assertTrue(page.body().contains("\"second\""), page.body());
      RouterHarness.Response histogram = router.get("/logs/histogram?from=2000-01-01&to=2999-12-31T23:59:59.999999Z");
      assertEquals(200, histogram.status(), histogram.body());
      assertTrue(histogram.body().contains("\"total\":2"), "counted by the runtime user: " + histogram.body());
      assertEquals(200, router.get("/ready").status());
    }
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> st.execute("CREATE TABLE sneaky (i INT)"), "no DDL for the runtime user");
      assertThrows(SQLException.class, () -> st.execute("DELETE FROM logs"), "no DELETE either");
    }
    assertEquals(2, admin.queryLong("SELECT COUNT(*) FROM " + schema + ".logs"));
  }
}

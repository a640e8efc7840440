package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL construct and server setting the router relies on, checked on the server under test:
 * each test is one row of docs/COMPATIBILITY.md (its MariaDB cells). test.sh runs it on the local
 * MariaDB 10.11 and on the embedded MariaDB 11.4, and on MySQL 8.4 where Docker runs.
 */
class DatabaseCompatibilityTest {
  private static final String EXTRACT = "JSON_UNQUOTE(JSON_EXTRACT('{\"a\":\"Diego\"}', '$.a'))";
  private static TestDatabase db;
  private static String version;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("compat");
    version = TestDatabase.serverVersion();
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  private static boolean mariaDb() {
    return version.contains("MariaDB");
  }

  private static int major() {
    return Integer.parseInt(version.replaceAll("^(\\d+)\\..*$", "$1"));
  }

  /** Row "JSON_UNQUOTE result": utf8mb4 on 10.11 and MySQL, utf8mb3 on MariaDB 11.4. */
  @Test
  void jsonUnquoteReturnsUtf8mb4ExceptOnMariaDb11WhereItIsUtf8mb3() throws SQLException {
    String charset = text("SELECT CHARSET(" + EXTRACT + ")");
    String expected = mariaDb() && major() >= 11 ? "utf8mb3" : "utf8mb4";
    assertEquals(expected, charset, version);
    String collation = text("SELECT COLLATION(" + EXTRACT + ")");
    assertEquals(expected.equals("utf8mb3") ? "utf8mb3_general_ci" : "utf8mb4_bin", collation, version);
    if (charset.equals("utf8mb3")) {
      SQLException e = assertThrows(SQLException.class,
          () -> text("SELECT " + EXTRACT + " COLLATE utf8mb4_unicode_520_ci = 'diego'"));
      assertTrue(e.getMessage().contains("utf8mb3"), e.getMessage());
    }
  }

  /** Row "attribute comparison" (FilterFields): CONVERT first, then the table's collation, on every server. */
  @Test
  void convertThenCollateComparesAttributesCaseInsensitivelyEverywhere() throws SQLException {
    assertEquals("1", text("SELECT CONVERT(" + EXTRACT + " USING utf8mb4) COLLATE utf8mb4_unicode_520_ci = 'diego'"));
    assertEquals("utf8mb4", text("SELECT CHARSET(CONVERT(" + EXTRACT + " USING utf8mb4))"));
  }

  /** Row "JSON_VALUE": a scalar as utf8mb4, 4-byte characters intact; JSON_UNQUOTE loses them on MariaDB 11.4. */
  @Test
  void jsonValueKeepsEmojiWhereJsonUnquoteOnMariaDb11DoesNot() throws SQLException {
    String doc = "'{\"t\":\"go \uD83D\uDE80\"}'";
    assertEquals("676F20F09F9A80", text("SELECT HEX(JSON_VALUE(" + doc + ", '$.t'))"), version);
    assertEquals("utf8mb4", text("SELECT CHARSET(JSON_VALUE(" + doc + ", '$.t'))"), version);
    String unquoted = text("SELECT HEX(JSON_UNQUOTE(JSON_EXTRACT(" + doc + ", '$.t')))");
    assertEquals(mariaDb() && major() >= 11 ? "676F203F" : "676F20F09F9A80", unquoted, version);
    assertEquals(null, text("SELECT JSON_VALUE('{\"o\":{\"a\":1}}', '$.o')"), "objects fall back to JSON_UNQUOTE");
  }

  /** Row "utf8mb4_unicode_520_ci": exists, case-insensitive, emoji distinct (unlike utf8mb4_general_ci). */
  @Test
  void theTableCollationIsCaseInsensitiveAndKeepsEmojiDistinct() throws SQLException {
    assertEquals("1", text("SELECT _utf8mb4'Auth' = _utf8mb4'AUTH' COLLATE utf8mb4_unicode_520_ci"));
    assertEquals("0", text("SELECT _utf8mb4'\uD83D\uDE80' = _utf8mb4'\uD83C\uDF89' COLLATE utf8mb4_unicode_520_ci"));
    assertEquals("utf8mb4_unicode_520_ci", text("SELECT TABLE_COLLATION FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'logs'"));
  }

  /** Row "JSON column": MariaDB's JSON is LONGTEXT with a JSON_VALID check; invalid JSON is refused either way. */
  @Test
  void invalidJsonInTheAttributesColumnIsRefused() {
    SQLException e = assertThrows(SQLException.class, () -> execute(
        "INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id)"
            + " VALUES (NOW(6), 'INFO', 'compat', 'x', '{not json', NOW(6), 'compat')"));
    // 4025: MariaDB CHECK constraint failed; 3140: MySQL invalid JSON text. Both are SqlErrors' value errors.
    assertTrue(e.getErrorCode() == 4025 || e.getErrorCode() == 3140, e.getErrorCode() + " " + e.getMessage());
    assertTrue(SqlErrors.isPermanentDataError(e), "a refused value is dead-lettered, not retried");
  }

  /** Row "JSON depth": MariaDB's JSON functions stop at 32 levels; MySQL at 100. */
  @Test
  void jsonNestingLimit() throws SQLException {
    int limit = mariaDb() ? 32 : 100;
    assertEquals("1", text("SELECT JSON_VALID('" + nested(limit - 1) + "')"), "depth " + (limit - 1));
    if (mariaDb()) {
      assertEquals("0", text("SELECT JSON_VALID('" + nested(limit) + "')"), "depth " + limit + " on " + version);
    }
  }

  /** Row "CAST AS DOUBLE" (numeric attribute comparisons): MySQL since 8.0.17, MariaDB 10.4+. */
  @Test
  void castAsDoubleComparesNumbersAsNumbers() throws SQLException {
    assertEquals("1", text("SELECT CAST(JSON_UNQUOTE(JSON_EXTRACT('{\"n\":10}', '$.n')) AS DOUBLE) > 9"));
  }

  /** Row "partitions" (retention): RANGE on TO_DAYS(ts) needs ts in every unique key, hence PK (id, ts). */
  @Test
  void dailyRangePartitionsNeedTsInThePrimaryKey() throws SQLException {
    execute("CREATE TABLE compat_parts (id BIGINT NOT NULL, ts DATETIME(6) NOT NULL, PRIMARY KEY (id, ts))"
        + " PARTITION BY RANGE (TO_DAYS(ts)) (PARTITION p0 VALUES LESS THAN (TO_DAYS('2024-01-02')),"
        + " PARTITION pmax VALUES LESS THAN MAXVALUE)");
    execute("ALTER TABLE compat_parts DROP PARTITION p0");
    SQLException e = assertThrows(SQLException.class, () -> execute("CREATE TABLE compat_parts_bad"
        + " (id BIGINT NOT NULL PRIMARY KEY, ts DATETIME(6) NOT NULL) PARTITION BY RANGE (TO_DAYS(ts))"
        + " (PARTITION pmax VALUES LESS THAN MAXVALUE)"));
    assertEquals(1503, e.getErrorCode(), e.getMessage());
  }

  /** Row "generated columns" (promoted attributes, docs/DBA.md): a virtual column on a JSON path, indexed. */
  @Test
  void anIndexedVirtualColumnOnAJsonPath() throws SQLException {
    execute("CREATE TABLE compat_gen (id INT PRIMARY KEY, attributes JSON,"
        + " user_id VARCHAR(64) AS (LEFT(JSON_UNQUOTE(JSON_EXTRACT(attributes, '$.user_id')), 64)) VIRTUAL,"
        + " INDEX (user_id))");
    execute("INSERT INTO compat_gen (id, attributes) VALUES (1, '{\"user_id\":\"u42\"}')");
    assertEquals("u42", text("SELECT user_id FROM compat_gen WHERE user_id = 'u42'"));
  }

  /** Row "local_infile": MariaDB's default is ON (the router falls back to INSERT when a server says OFF). */
  @Test
  void localInfileIsOnByDefaultOnMariaDb() throws SQLException {
    String value = text("SELECT @@GLOBAL.local_infile");
    if (mariaDb()) {
      assertEquals("1", value, version);
    }
  }

  /** Row "max_allowed_packet": at least the 4 MB statements plus headroom (16 MB default on MariaDB). */
  @Test
  void maxAllowedPacketHoldsAFullStatement() throws SQLException {
    long packet = Long.parseLong(text("SELECT @@GLOBAL.max_allowed_packet"));
    assertTrue(packet >= 16L << 20, "max_allowed_packet " + packet + " on " + version);
  }

  /** Row "isolation": REPEATABLE READ by default on InnoDB everywhere; the flush commit does not depend on it. */
  @Test
  void defaultIsolationIsRepeatableRead() throws SQLException {
    String isolation;
    try {
      isolation = text("SELECT @@SESSION.transaction_isolation");
    } catch (SQLException e) {
      isolation = text("SELECT @@SESSION.tx_isolation"); // MariaDB before 11.1
    }
    assertEquals("REPEATABLE-READ", isolation, version);
  }

  private static String nested(int depth) {
    return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String text(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

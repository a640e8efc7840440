package io.logrouter.loadgen;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real local MariaDB/MySQL the verify tests run against, in a schema of their own so they never
 * touch the router's data. Override with LOADGEN_TEST_DB_URL / _USER / _PASSWORD.
 */
final class TestDatabase {
    static final String SCHEMA = "loadgen_test";
    private static final String SERVER_URL = env("LOADGEN_TEST_DB_URL", "jdbc:mysql://127.0.0.1:3306/");
    static final String USER = env("LOADGEN_TEST_DB_USER", "root");
    static final String PASSWORD = env("LOADGEN_TEST_DB_PASSWORD", "");
    static final String URL = SERVER_URL + SCHEMA;

    private TestDatabase() {
    }

    /** Creates the schema and an empty {@code table} shaped like the router's {@code logs}. */
    static void recreateLogsTable(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER_URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA + " CHARACTER SET utf8mb4");
            s.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
            // The columns and indexes the verifier relies on, as in the router's V1 migration.
            s.execute("CREATE TABLE " + SCHEMA + "." + table + " ("
                    + " id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,"
                    + " ts DATETIME(6) NOT NULL, level VARCHAR(16) NOT NULL, source VARCHAR(255) NULL,"
                    + " message MEDIUMTEXT NULL, attributes JSON NULL, received_at DATETIME(6) NOT NULL,"
                    + " router_id VARCHAR(64) NOT NULL,"
                    + " PRIMARY KEY (id, ts), KEY logs_ts (ts, id)"
                    + ") ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci");
        } catch (SQLException e) {
            throw new SQLException("the verify tests need a local MariaDB/MySQL at " + SERVER_URL + " as " + USER
                    + " (start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd): "
                    + e.getMessage(), e);
        }
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}

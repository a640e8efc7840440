package io.logrouter.client.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A fresh schema on the test MariaDB/MySQL ({@code LOGROUTER_TEST_DB_URL}, default
 * jdbc:mysql://127.0.0.1:3306/test, user root), named with {@code LOGROUTER_TEST_SCHEMA_PREFIX} so
 * checkouts sharing one server never collide. The router under test creates the tables (Flyway).
 */
public final class TestSchema {
  private final String serverUrl; // jdbc:mysql://host:port
  private final String schema;
  private final String user;
  private final String password;

  private TestSchema(String serverUrl, String schema, String user, String password) {
    this.serverUrl = serverUrl;
    this.schema = schema;
    this.user = user;
    this.password = password;
  }

  public static TestSchema create(String name) {
    String url = env("LOGROUTER_TEST_DB_URL", "jdbc:mysql://127.0.0.1:3306/test");
    int slash = url.indexOf('/', "jdbc:mysql://".length());
    String server = slash < 0 ? url : url.substring(0, slash);
    String schema = env("LOGROUTER_TEST_SCHEMA_PREFIX", "lrt_") + "client_" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    TestSchema s = new TestSchema(server, schema, env("LOGROUTER_TEST_DB_USER", "root"), env("LOGROUTER_TEST_DB_PASSWORD", ""));
    s.execute("DROP DATABASE IF EXISTS " + schema);
    s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci");
    return s;
  }

  public String schema() {
    return schema;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The schema's JDBC URL, for the router. */
  public String jdbcUrl() {
    return serverUrl + "/" + schema;
  }

  /** The schema's URL through a TCP proxy on {@code port} (plaintext, so the proxy can cut it anywhere). */
  public String jdbcUrlVia(int port) {
    return "jdbc:mysql://127.0.0.1:" + port + "/" + schema + "?sslMode=DISABLED&allowPublicKeyRetrieval=true";
  }

  public String serverHost() {
    return java.net.URI.create(serverUrl.substring("jdbc:".length())).getHost();
  }

  public int serverPort() {
    int p = java.net.URI.create(serverUrl.substring("jdbc:".length())).getPort();
    return p == -1 ? 3306 : p;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user, password);
  }

  /** One number from a query, e.g. {@code SELECT COUNT(*) FROM logs}. */
  public long queryLong(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Rows in {@code logs} (0 while the router has not created the table yet). */
  public long rows() {
    try {
      return queryLong("SELECT COUNT(*) FROM logs");
    } catch (IllegalStateException e) {
      return 0;
    }
  }

  /**
   * Polls until {@code logs} holds at least {@code expected} rows and the count stopped moving for
   * a second (so duplicates arriving late are counted too), or {@code timeoutMs} passed.
   */
  public long awaitRows(long expected, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    long last = -1;
    long stableSince = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline) {
      long n = rows();
      if (n != last) {
        last = n;
        stableSince = System.currentTimeMillis();
      } else if (n >= expected && System.currentTimeMillis() - stableSince >= 1000) {
        return n;
      }
      sleep(200);
    }
    return last;
  }

  public void drop() {
    execute("DROP DATABASE IF EXISTS " + schema);
  }

  /** Runs a statement on the server (unqualified names resolve in this schema once it exists). */
  public void execute(String sql) {
    String url = sql.startsWith("DROP DATABASE") || sql.startsWith("CREATE DATABASE") ? serverUrl + "/" : jdbcUrl();
    try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " on " + serverUrl, e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}

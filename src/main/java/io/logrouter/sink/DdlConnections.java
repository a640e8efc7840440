package io.logrouter.sink;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where schema changes run (Flyway migrations, retention's partition DDL): the runtime pool, or —
 * with {@code db.migrate.user} set — a one-connection pool of that user, opened for the job and
 * closed right after, so the runtime user can be limited to SELECT, INSERT and UPDATE.
 */
public final class DdlConnections {
  private final DataSource runtime;
  private final String url;
  private final String user;
  private final String password;

  /** What a DDL job does with its data source. */
  public interface Job<T> {
    T run(DataSource dataSource) throws SQLException;
  }

  private DdlConnections(DataSource runtime, String url, String user, String password) {
    this.runtime = runtime;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** DDL as the runtime user (the default: {@code db.migrate.user} empty). */
  public static DdlConnections runtime(DataSource runtime) {
    return new DdlConnections(runtime, null, null, null);
  }

  /** DDL as {@code user}; an empty user means the runtime pool. */
  public static DdlConnections of(DataSource runtime, String url, String user, String password) {
    return user == null || user.isBlank() ? runtime(runtime) : new DdlConnections(null, url, user, password);
  }

  /** The user DDL runs as, for logs; null for the runtime user. */
  public String user() {
    return user;
  }

  public <T> T with(Job<T> job) throws SQLException {
    if (runtime != null) {
      return job.run(runtime);
    }
    try (HikariDataSource ds = DataSources.create(url, user, password, 1, "log-router-ddl")) {
      return job.run(ds);
    }
  }
}

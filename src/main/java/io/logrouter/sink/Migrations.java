package io.logrouter.sink;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the versioned schema under {@code db/migration} (Flyway) before the router starts. */
public final class Migrations {
  private Migrations() {}

  /** @return how many migrations were applied now (0 when the schema was already current). */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .table("log_router_schema_history")
        .baselineOnMigrate(false)
        .load()
        .migrate()
        .migrationsExecuted;
  }
}

package io.logrouter.sink;

import java.util.Arrays;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationState;

/** Applies the versioned schema under {@code db/migration} (Flyway) before the router starts. */
public final class Migrations {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * @return how many migrations were applied now (0 when the schema was already current)
   * @throws FlywayException when a migration fails; the caller retries, and the failed attempt's record
   *     is gone by then (see below)
   */
  public static int migrate(DataSource dataSource) {
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .table("log_router_schema_history")
        .baselineOnMigrate(false)
        .load();
    try {
      return flyway.migrate().migrationsExecuted;
    } catch (FlywayException e) {
      forgetFailedAttempt(flyway, e);
      throw e;
    }
  }

  /**
   * MySQL and MariaDB run DDL outside transactions, so Flyway records a migration that failed as FAILED,
   * and every later start refuses to migrate until someone runs {@code flyway repair}. A transient error
   * does that too: a Galera certification conflict (1213) on a CREATE TABLE, a node leaving the cluster,
   * a lost connection (GaleraFailoverTest hit the first). So the failed record is removed and the next
   * attempt runs the migration again. New migrations are one DDL statement each (V5, V6) so that a rerun
   * meets nothing half done; in the older multi-statement ones (V1, V4) a failure after the first
   * statement fails again on the rerun, logged each time, for a DBA to finish (a permanent error too).
   */
  private static void forgetFailedAttempt(Flyway flyway, FlywayException cause) {
    try {
      if (Arrays.stream(flyway.info().all()).anyMatch(m -> m.getState() == MigrationState.FAILED)) {
        flyway.repair();
        LOG.warn("a schema migration failed ({}); its failed record was removed, the next attempt runs it again",
            cause.getMessage().lines().findFirst().orElse(""));
      }
    } catch (FlywayException repairFailure) {
      cause.addSuppressed(repairFailure);
    }
  }
}

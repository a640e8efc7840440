package io.logrouter.sink;

import io.logrouter.profile.DbProfile;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells an error caused by one row's data (permanent: that row goes to {@code logs_rejected}) from
 * every other failure (transient: roll back, back off, retry the whole flush).
 *
 * <p>The rule errs towards "transient": only errors that name a row's value are permanent. A missing
 * table, a permission error or a syntax error would fail every row alike, and dead-lettering the
 * whole stream because of a misconfiguration would be data loss in all but name; those are retried
 * until an operator fixes the cause.
 *
 * <p>Clusters add their own failures (codes per engine in {@link DbProfile}): a Galera certification
 * conflict (1213) or a node that is not ready (1047), a Group Replication commit the group refused, a
 * TiDB write conflict are transient like an outage. A transaction over the engine's size limit
 * (Galera's wsrep_max_ws_size, Group Replication's transaction size limit, TiDB's 100 MB) is neither a
 * row's fault nor transient: the same flush fails the same way, so it is reported as its own kind and
 * the fix is a smaller {@code flush.max.bytes}.
 */
public final class SqlErrors {
  /**
   * MySQL/MariaDB error codes that reject a value: 1048 column cannot be null, 1264 out of range,
   * 1292 incorrect datetime/value, 1366 incorrect string value (e.g. bad UTF-8), 1406 data too long,
   * 3140 invalid JSON text (MySQL), 4025 CHECK constraint failed (MariaDB's JSON_VALID on JSON
   * columns), 3819 CHECK constraint violated (MySQL), 4038 syntax error in JSON text (MariaDB).
   */
  private static final Set<Integer> VALUE_ERRORS = Set.of(1048, 1264, 1292, 1366, 1406, 3140, 4025, 3819, 4038);

  private SqlErrors() {}

  public static boolean isPermanentDataError(SQLException e) {
    return isPermanentDataError(e, DbProfile.MYSQL);
  }

  /** As {@link #isPermanentDataError(SQLException)}, except that codes the profile retries are never a row's fault. */
  public static boolean isPermanentDataError(SQLException e, DbProfile profile) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && !profile.isRetryable(sql.getErrorCode()) && isValueError(sql)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the engine refused the transaction for its size: retrying the same flush would fail the same way. */
  public static boolean isTransactionTooLarge(SQLException e, DbProfile profile) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && profile.isTooLarge(sql.getErrorCode(), sql.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isValueError(SQLException e) {
    if (VALUE_ERRORS.contains(e.getErrorCode())) {
      return true;
    }
    String state = e.getSQLState();
    // SQLSTATE class 22 is "data exception" (a value is wrong); class 23 "integrity constraint"
    // only with a value-level code above, because 23000 also covers duplicate keys of our own rows.
    return state != null && state.startsWith("22");
  }
}

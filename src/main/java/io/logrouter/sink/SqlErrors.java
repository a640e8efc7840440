package io.logrouter.sink;

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
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && isValueError(sql)) {
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

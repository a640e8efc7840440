package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {
  @Test
  void valueErrorsArePermanent() {
    assertTrue(SqlErrors.isPermanentDataError(new SQLException("Incorrect string value", "HY000", 1366)));
    assertTrue(SqlErrors.isPermanentDataError(new SQLException("CONSTRAINT failed", "23000", 4025)));
    assertTrue(SqlErrors.isPermanentDataError(new SQLException("Invalid JSON text", "22032", 3140)));
    assertTrue(SqlErrors.isPermanentDataError(new SQLException("Data too long", "22001", 1406)));
    assertTrue(SqlErrors.isPermanentDataError(
        new BatchUpdateException("batch", new int[0], new SQLException("bad datetime", "22007", 1292))));
  }

  @Test
  void outagesAndSchemaOrPermissionErrorsAreTransient() {
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("Communications link failure", "08S01", 0)));
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("Deadlock", "40001", 1213)));
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("Lock wait timeout", "HY000", 1205)));
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("Table doesn't exist", "42S02", 1146)));
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("Unknown column", "42S22", 1054)));
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("denied", "42000", 1142)));
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("Duplicate entry", "23000", 1062)));
    assertFalse(SqlErrors.isPermanentDataError(new SQLException("read only", "HY000", 1290)));
  }
}

package io.logrouter.receive;

import io.logrouter.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads stored rows of the logs table as column → text maps, for receiver tests. */
final class Rows {
  private Rows() {}

  /** @param where SQL after WHERE (test-controlled text, never user input) */
  static List<Map<String, String>> of(TestDatabase db, String where) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT ts, level, source, message, attributes FROM logs WHERE " + where
            + " ORDER BY id")) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}

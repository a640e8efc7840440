package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LOAD DATA and multi-row INSERT store the very same rows, whatever the text holds. */
class FlushMethodsTest {
  /** Text that means structure to LOAD DATA (tab, newline, backslash, NUL, \N) or to SQL (quotes). */
  private static final String TRICKY = "[{\"source\":\"a\\tb\",\"message\":\"line1\\nline2\\r\\nend\\\\ \\\\N \\\\t tab\\there\","
      + "\"k\":\"\\u0000nul\"},{\"source\":\"\\\\N\",\"message\":\"NULL\"},{\"source\":null,\"message\":null},"
      + "{\"message\":\"quote ' and \\\" and `\",\"emoji\":\"🚀\\n\"},{\"message\":\"\"}]";

  @TempDir
  Path queueDir;

  private static List<String> rows(TestDatabase db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT HEX(source), source IS NULL, HEX(message), message IS NULL, attributes, ts"
            + " FROM logs ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getBoolean(2) + "|" + rs.getString(3) + "|" + rs.getBoolean(4) + "|"
            + rs.getString(5) + "|" + rs.getString(6));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"load_data", "insert"})
  void trickyTextIsStoredExactlyByEitherMethod(String method) throws Exception {
    try (TestDatabase db = TestDatabase.create("flush_" + method);
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("flush.method", method))) {
      assertEquals(202, router.post("/log", TRICKY).status());
      assertEquals(5, router.flush());
      List<String> rows = rows(db);
      assertEquals(5, rows.size());
      assertEquals(hex("a\tb") + "|false|" + hex("line1\nline2\r\nend\\ \\N \\t tab\there") + "|false",
          prefix(rows.get(0)));
      assertEquals(hex("\\N") + "|false|" + hex("NULL") + "|false", prefix(rows.get(1)));
      assertEquals("null|true|null|true", prefix(rows.get(2)));
      assertEquals("null|true||false", prefix(rows.get(4)), "an empty message is not NULL");
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE JSON_UNQUOTE(JSON_EXTRACT(attributes,'$.k')) = CONCAT(CHAR(0), 'nul')"));
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'quote '' and \" and `'"));
    }
  }

  /** LOAD DATA rows go from the queue to the server as a stream: no file is created, not even briefly. */
  @org.junit.jupiter.api.Test
  void loadDataWritesNoFile() throws Exception {
    try (TestDatabase db = TestDatabase.create("flush_no_file");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("flush.method", "load_data"));
        java.nio.file.WatchService watch = queueDir.getFileSystem().newWatchService()) {
      Path sandbox = queueDir.resolve("load-data");
      assertEquals(List.of(), list(sandbox), "the LOAD DATA sandbox exists and is empty");
      sandbox.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
      queueDir.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
      java.nio.file.Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      List<String> tmpBefore = list(tmp);
      for (int round = 0; round < 3; round++) {
        assertEquals(202, router.post("/log", TRICKY).status());
        assertEquals(5, router.flush());
      }
      assertEquals(15, db.queryLong("SELECT COUNT(*) FROM logs"));
      List<String> created = new ArrayList<>();
      for (java.nio.file.WatchKey key = watch.poll(); key != null; key = watch.poll()) {
        for (java.nio.file.WatchEvent<?> e : key.pollEvents()) {
          created.add(key.watchable() + "/" + e.context());
        }
        key.reset();
      }
      assertEquals(List.of(), created.stream()
          .filter(f -> !f.endsWith(".cq4") && !f.endsWith(".cq4t") && !f.endsWith("/cycles.journal")).toList(),
          "files created in the queue directory or the sandbox while flushing");
      assertEquals(List.of(), list(sandbox));
      List<String> tmpAfter = list(tmp);
      tmpAfter.removeAll(tmpBefore);
      assertEquals(List.of(), tmpAfter.stream().filter(f -> f.endsWith(".tsv")).toList(), "no TSV in java.io.tmpdir");
    }
  }

  private static List<String> list(Path dir) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(dir)) {
      return new ArrayList<>(files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static String prefix(String row) {
    String[] p = row.split("\\|", -1);
    return p[0] + "|" + p[1] + "|" + p[2] + "|" + p[3];
  }

  private static String hex(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      sb.append(String.format("%02X", b));
    }
    return sb.toString();
  }
}

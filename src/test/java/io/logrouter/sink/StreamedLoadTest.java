package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.logrouter.buffer.Batch;
import io.logrouter.event.EventWriter;
import io.logrouter.event.LogEvent;
import io.logrouter.profile.DbProfile;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.threads.CoreYield;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LOAD DATA rows streamed from queue bytes (no file, no String) are stored byte for byte as the
 * strict INSERT path stores the same events, and as the Java text they came from.
 */
class StreamedLoadTest {
  private static final String ROUTER = "test-router";
  private static final long MIN_MICROS = LocalDateTime.of(1000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
  private static final long MAX_MICROS = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC)
      * 1_000_000L + 999_999;
  private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  @TempDir
  Path sandbox;

  /** Everything that means structure to LOAD DATA or SQL, multi-byte text, and each column at its limit. */
  static List<LogEvent> trickyEvents() {
    String specials = "tab\there nl\nthere cr\rthere crlf\r\n back\\slash \\N \\t \\\\ nul\u0000end 'q' \"dq\" `bt` ";
    String fourByte = "🚀😀𝄞𠜎";
    List<LogEvent> events = new ArrayList<>();
    events.add(event(MIN_MICROS, "INFO", "a\tb", specials + fourByte, "{\"k\":\"\\u0000nul\",\"e\":\"🚀\\n\"}"));
    events.add(event(MAX_MICROS, "ERROR", "\\N", "NULL", "{}"));
    events.add(event(1_700_000_000_123_456L, "WARN", null, null, "{}"));
    events.add(event(-1L, "DEBUG", "", "", "{\"empty\":\"\"}")); // 1969-12-31 23:59:59.999999
    events.add(event(951_782_400_000_001L, "🚀".repeat(16), "😀".repeat(255), "leap day", "{}")); // 2000-02-29
    events.add(event(0L, "ÄBCDEFGHIJKLMNOP", "x".repeat(255), "\\", "{\"a\":[1,2.50,\"\\\\\"]}"));
    // Rows larger than a driver packet (1 MB), escapes spread through them.
    events.add(event(1_000_000L, "INFO", "big", (specials + fourByte + "x".repeat(900)).repeat(3_000), "{}"));
    for (int i = 0; i < 3_000; i++) {
      events.add(event(1_700_000_000_000_000L + i, "INFO", "s" + i % 7, "message " + i + (i % 50 == 0 ? specials : ""),
          "{\"i\":" + i + "}"));
    }
    return events;
  }

  private static LogEvent event(long ts, String level, String source, String message, String attributes) {
    return new LogEvent(0, ts, Math.min(ts + 7, MAX_MICROS), level, source, message, attributes);
  }

  @Test
  void streamedRowsAreStoredExactlyAsInsertStoresThem() throws Exception {
    List<LogEvent> events = trickyEvents();
    try (TestDatabase loaded = TestDatabase.create("stream_loaded");
        TestDatabase inserted = TestDatabase.create("stream_inserted");
        HikariDataSource streaming = streamingPool(loaded)) {
      Batch batch = Documents.batchOf(events);
      LoadDataWriter.Outcome outcome;
      try (Connection c = streaming.getConnection()) {
        outcome = new LoadDataWriter(ROUTER, new StuckWrites(Long.MAX_VALUE)).load(c, batch, Admission.all(batch), RowIds.SERVER, RowIds.NO_COUNTER, new MinuteCounts());
      }
      assertEquals(events.size(), outcome.rows(), "every row loaded by the streamed LOAD DATA itself");
      assertFalse(outcome.warned(), "no warning: the load was not replaced by the INSERT fallback");

      MySqlSink insertOnly = MySqlSink.builder(inserted.dataSource(), ROUTER).profile(DbProfile.MARIADB).build();
      assertEquals(events.size(), insertOnly.write(Documents.batchOf(events)).rowsWritten());

      List<String> streamedRows = rows(loaded);
      assertEquals(rows(inserted), streamedRows);
      for (int i = 0; i < events.size(); i++) {
        assertEquals(expected(events.get(i)), streamedRows.get(i), "row " + i);
      }
    }
  }

  @Test
  void theLargestMessageStreamsWhole() throws Exception {
    String unit = "escape\\me\ttab\u0000🚀 ";
    int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
    int repeats = (int) (EventWriter.MAX_MESSAGE_BYTES / unitBytes);
    String message = unit.repeat(repeats) + "y".repeat((int) (EventWriter.MAX_MESSAGE_BYTES - (long) repeats * unitBytes));
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    assertEquals(EventWriter.MAX_MESSAGE_BYTES, utf8.length);
    try (TestDatabase db = TestDatabase.create("stream_largest"); HikariDataSource streaming = streamingPool(db)) {
      Batch batch = Documents.batchOf(List.of(event(1L, "INFO", "big", message, "{}")));
      try (Connection c = streaming.getConnection()) {
        LoadDataWriter.Outcome outcome = new LoadDataWriter(ROUTER, new StuckWrites(Long.MAX_VALUE)).load(c, batch, Admission.all(batch), RowIds.SERVER, RowIds.NO_COUNTER, new MinuteCounts());
        assertEquals(1, outcome.rows());
        assertFalse(outcome.warned());
      }
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE LENGTH(message) = " + utf8.length
          + " AND SHA2(message, 256) = '" + sha + "'"));
    }
  }

  @Test
  void aLoadThatWarnsIsRolledBackAndTheStrictInsertPathDecides() throws Exception {
    try (TestDatabase db = TestDatabase.create("stream_warns"); HikariDataSource streaming = streamingPool(db)) {
      // LOAD DATA LOCAL truncates an over-long value with a warning; the strict INSERT refuses it (1406).
      db.execute("ALTER TABLE logs MODIFY source VARCHAR(3)");
      List<LogEvent> events = List.of(event(1L, "INFO", "abc", "fits", "{}"),
          event(2L, "INFO", "abcdef", "too long", "{}"), event(3L, "INFO", null, "null source", "{}"));
      MySqlSink sink = MySqlSink.builder(streaming, ROUTER).loadData(sandbox).profile(DbProfile.MARIADB).build();
      FlushResult result = sink.write(Documents.batchOf(events));
      assertEquals(2, result.rowsWritten());
      assertEquals(1, result.rowsRejected());
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'too long'"), "not stored truncated");
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs_rejected WHERE event LIKE '%too long%'"));
      assertEquals(2, db.queryLong("SELECT COUNT(*) FROM logs"));
    }
  }

  /**
   * Every byte to escape, at every position of fields of every length up to four words: the encoder
   * copies whole words, and the last word of a field overlaps bytes it already wrote.
   */
  @Test
  void escapingIsExactAtEveryPositionOfAWord() throws Exception {
    String[] specials = {"\\", "\t", "\n", "\r", "\u0000", "\u000b", "\u000c", "é", "🚀"};
    List<LogEvent> events = new ArrayList<>();
    for (String special : specials) {
      for (int length = 1; length <= 33; length++) {
        for (int at = 0; at < length; at++) {
          events.add(event(1L, "INFO", null, "x".repeat(at) + special + "y".repeat(length - 1 - at), "{}"));
        }
        events.add(event(1L, "INFO", null, special.repeat(length), "{}"));
        events.add(event(1L, "INFO", null, special + "z".repeat(length) + special, "{}"));
      }
    }
    Batch batch = Documents.batchOf(events);
    java.io.ByteArrayOutputStream tsv = new java.io.ByteArrayOutputStream();
    new LoadDataRows(batch, Admission.all(batch), ROUTER.getBytes(StandardCharsets.UTF_8), new MinuteCounts()).transferTo(tsv);
    String[] lines = tsv.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertEquals(events.size() + 1, lines.length);
    for (int i = 0; i < events.size(); i++) {
      String expected = events.get(i).message().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
          .replace("\r", "\\r").replace("\u0000", "\\0");
      assertEquals(expected, lines[i].split("\t", -1)[3], "event " + i);
    }
  }

  /**
   * Encoding a batch gives the core up every 0.25 ms of work (a flush held requests up to 2.4 ms behind it), and
   * the yields change no byte of what the server is sent.
   */
  @Test
  void encodingYieldsTheCoreAndTheRowsStayTheSame() throws Exception {
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      events.add(event(1L, "INFO", "src", "message " + i, "{\"n\":" + i + "}"));
    }
    Batch batch = Documents.batchOf(events);
    byte[] router = ROUTER.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    new LoadDataRows(batch, Admission.all(batch), router, new MinuteCounts()).transferTo(plain);
    AtomicLong clock = new AtomicLong();
    AtomicInteger yields = new AtomicInteger();
    // A clock that moves 200 us at each look: every second look (128 rows) is past the 0.25 ms slice. One
    // read of 1 MB, as the driver's packets are, takes the whole batch.
    CoreYield counting = new CoreYield(() -> clock.addAndGet(200_000), yields::incrementAndGet);
    ByteArrayOutputStream yielding = new ByteArrayOutputStream();
    LoadDataRows rows = new LoadDataRows(batch, Admission.all(batch), router, new MinuteCounts()).withCoreYield(counting);
    byte[] packet = new byte[1 << 20];
    for (int n; (n = rows.read(packet, 0, packet.length)) > 0; ) {
      yielding.write(packet, 0, n);
    }
    assertTrue(yields.get() >= 5_000 / 128 - 1, yields.get() + " yields over 5,000 rows");
    assertEquals(plain.toString(StandardCharsets.UTF_8), yielding.toString(StandardCharsets.UTF_8));
  }

  /** allowLoadLocalInfile=true for the stream, yet a server asking for a file gets only the sandbox's. */
  @Test
  void withNoStreamSetTheDriverReadsNoFileOutsideTheSandbox() throws Exception {
    Path outside = Files.createTempFile("not-for-the-server", ".tsv");
    Path inside = sandbox.resolve("inside.tsv");
    String row = "2020-01-01 00:00:00.000000\tINFO\ts\tm\t{}\t2020-01-01 00:00:00.000000\tr\n";
    Files.writeString(outside, row);
    Files.writeString(inside, row);
    try (TestDatabase db = TestDatabase.create("stream_sandbox"); HikariDataSource streaming = streamingPool(db);
        Connection c = streaming.getConnection(); Statement st = c.createStatement()) {
      String load = "LOAD DATA LOCAL INFILE '%s' INTO TABLE logs (ts, level, source, message, attributes, received_at, router_id)";
      SQLException refused = assertThrows(SQLException.class, () -> st.execute(String.format(load, outside)));
      assertTrue(refused.getMessage().contains("is not under the safe path"), refused.getMessage());
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"));
      st.execute(String.format(load, inside)); // the control: the mechanism itself works
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs"));
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  private HikariDataSource streamingPool(TestDatabase db) {
    return DataSources.create(db.jdbcUrl(), db.user(), db.password(), 2, "stream-" + db.schema(), sandbox);
  }

  private static List<String> rows(TestDatabase db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f'), HEX(level), HEX(source),"
            + " HEX(message), HEX(attributes), DATE_FORMAT(received_at, '%Y-%m-%d %H:%i:%s.%f'), router_id FROM logs ORDER BY id")) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 7; i++) {
          row.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  /** The row as {@link #rows} reads it, computed from the event's Java text with java.time. */
  private static String expected(LogEvent e) {
    return String.join("|", sqlTime(e.tsMicros()), hex(e.level()), hex(e.source()), hex(e.message()),
        hex(e.attributes()), sqlTime(e.receivedMicros()), ROUTER);
  }

  private static String sqlTime(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1_000,
        ZoneOffset.UTC).format(SQL);
  }

  private static String hex(String s) {
    return s == null ? "null" : HexFormat.of().withUpperCase().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}

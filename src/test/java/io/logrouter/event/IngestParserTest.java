package io.logrouter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestParserTest {
  private static final long RECEIVED = 1_700_000_123_456_789L;
  private final IngestParser parser = new IngestParser();

  /** A writer already begun on a fresh document, as the ingest handler hands it to a receiver. */
  static EventWriter writer(long maxMessageBytes, RecordBuffer document) {
    EventWriter w = new EventWriter(maxMessageBytes);
    w.begin(document);
    return w;
  }

  private List<LogEvent> parse(String body, BodyFormat format) throws InvalidEventException {
    RecordBuffer document = new RecordBuffer(256);
    EventWriter out = writer(1 << 20, document);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    int n = parser.parse(b, 0, b.length, format, RECEIVED, out);
    assertEquals(n, out.finish());
    List<LogEvent> events = new ArrayList<>();
    try {
      assertEquals(n, new RecordReader().read(java.nio.ByteBuffer.wrap(document.array(), 0, document.length()), 42,
          events));
    } catch (CorruptRecordException e) {
      throw new AssertionError("the parser wrote a document its reader refuses", e);
    }
    return events;
  }

  private List<LogEvent> parse(String body) throws InvalidEventException {
    return parse(body, BodyFormat.JSON);
  }

  private static long micros(String iso) {
    Instant i = Instant.parse(iso);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  @Test
  void singleObjectKeepsCanonicalFieldsAndEveryOtherFieldWithItsJsonType() throws Exception {
    LogEvent e = parse("{\"timestamp\":\"2023-11-07T10:00:00Z\",\"level\":\"error\",\"source\":\"auth\","
        + "\"message\":\"boom\",\"user_id\":42,\"ratio\":2.50,\"ok\":true,\"none\":null,\"tags\":[\"a\",1],"
        + "\"big\":123456789012345678901234567890,\"nested\":{\"x\":{\"y\":\"z\"}}}").get(0);
    assertEquals(micros("2023-11-07T10:00:00Z"), e.tsMicros());
    assertEquals("ERROR", e.level());
    assertEquals("auth", e.source());
    assertEquals("boom", e.message());
    assertEquals(42, e.queueIndex());
    assertEquals("{\"user_id\":42,\"ratio\":2.50,\"ok\":true,\"none\":null,\"tags\":[\"a\",1],"
        + "\"big\":123456789012345678901234567890,\"nested\":{\"x\":{\"y\":\"z\"}}}", e.attributes());
  }

  @Test
  void aRequestRefusedMidAttributeLeavesNothingInTheNextRequestsAttributes() throws Exception {
    // The parser keeps its attribute writer across requests; a refusal deep inside an attribute
    // must not leave open objects or bytes behind for the next request on this thread.
    assertThrows(InvalidEventException.class, () -> parse("{\"a\":{\"b\":[1,{\"c\":"));
    assertThrows(InvalidEventException.class, () -> parse("{\"a\":{\"b\":[1,{\"c\":\"x\"}]},\"level\":7}"));
    assertEquals(List.of("{\"k\":1}", "{\"k\":2}"),
        parse("[{\"k\":1},{\"k\":2}]").stream().map(LogEvent::attributes).toList());
    assertEquals("{\"k\":3}", parse("{\"k\":3}").get(0).attributes());
  }

  @Test
  void seedPayloadWithoutMessageIsStoredWithClientIdAsAttribute() throws Exception {
    LogEvent e = parse("{\"id\":7,\"unix_ts\":1700000000,\"user_id\":42,\"event_name\":\"login\"}").get(0);
    assertNull(e.message());
    assertEquals("INFO", e.level());
    assertEquals(1_700_000_000_000_000L, e.tsMicros());
    assertEquals("{\"id\":7,\"user_id\":42,\"event_name\":\"login\"}", e.attributes());
  }

  @Test
  void arrayAndNdjsonGiveOneEventEach() throws Exception {
    assertEquals(3, parse("[{\"message\":\"a\"},{\"message\":\"b\"},{\"message\":\"c\"}]").size());
    List<LogEvent> nd = parse("{\"message\":\"a\"}\n{\"message\":\"b\"}\n\n", BodyFormat.NDJSON);
    assertEquals(List.of("a", "b"), nd.stream().map(LogEvent::message).toList());
    assertEquals(0, parse("[]").size());
  }

  @Test
  void levelAliasesAndWarningBecomesWarn() throws Exception {
    assertEquals("WARN", parse("{\"event_type\":\"warning\"}").get(0).level());
    assertEquals("DEBUG", parse("{\"severity\":\"Debug\"}").get(0).level());
    assertEquals("CLICK", parse("{\"type\":\"click\"}").get(0).level());
    LogEvent both = parse("{\"type\":\"click\",\"level\":\"info\"}").get(0);
    assertEquals("INFO", both.level());
    assertEquals("{\"type\":\"click\"}", both.attributes(), "the losing alias stays an attribute");
    assertEquals("{\"type\":{\"k\":1}}", parse("{\"type\":{\"k\":1}}").get(0).attributes(),
        "a non-text alias is an ordinary attribute");
  }

  @Test
  void componentIsSourceAndDjangoFieldsStayAttributes() throws Exception {
    LogEvent e = parse("{\"email\":\"diego@chefhero.com\",\"environment\":\"production\",\"component\":\"order\","
        + "\"message\":\"the buyer #1 has placed an order\",\"data\":{\"key\":123,\"another key\":\"Some value\"}}").get(0);
    assertEquals("order", e.source());
    assertEquals("{\"email\":\"diego@chefhero.com\",\"environment\":\"production\","
        + "\"data\":{\"key\":123,\"another key\":\"Some value\"}}", e.attributes());
  }

  @Test
  void timestampsWithOffsetsLandInUtcWithMicroseconds() throws Exception {
    assertEquals(micros("2023-11-07T08:00:00.123456Z"),
        parse("{\"timestamp\":\"2023-11-07T10:00:00.123456789+02:00\"}").get(0).tsMicros());
    assertEquals(micros("2023-11-07T10:00:00Z"), parse("{\"timestamp\":\"2023-11-07T10:00:00\"}").get(0).tsMicros(),
        "no offset means UTC");
    assertEquals(micros("2023-11-07T15:30:00Z"), parse("{\"timestamp\":\"2023-11-07 10:00:00-0530\"}").get(0).tsMicros());
    assertEquals(micros("2018-01-01T00:00:00Z"), parse("{\"timestamp\":\"2018-01-01\"}").get(0).tsMicros());
    assertEquals(1_700_000_000_123_000L, parse("{\"timestamp\":1700000000123}").get(0).tsMicros(), "epoch millis");
    assertEquals(1_700_000_000_500_000L, parse("{\"unix_ts\":1700000000.5}").get(0).tsMicros(), "epoch seconds");
  }

  @Test
  void isoParserAgreesWithJavaTimeOnEveryAcceptedShape() {
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      java.time.OffsetDateTime t = java.time.OffsetDateTime.of(1000 + r.nextInt(9000), 1 + r.nextInt(12), 1 + r.nextInt(28),
          r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000_000),
          java.time.ZoneOffset.ofTotalSeconds((r.nextInt(37) - 18) * 1800));
      long expected = t.toEpochSecond() * 1_000_000L + t.getNano() / 1_000;
      assertEquals(expected, Timestamps.parseIso(t.toString()), t.toString());
      String compact = t.format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSSxx"));
      assertEquals(expected, Timestamps.parseIso(compact), compact);
    }
    assertEquals(micros("2024-02-29T00:00:00Z"), Timestamps.parseIso("2024-02-29"));
    assertEquals(micros("2023-11-07T10:00:00Z"), Timestamps.parseIso("2023-11-07t12:00z".replace("12", "10")));
    assertEquals(micros("2023-11-07T08:00:00Z"), Timestamps.parseIso("2023-11-07T10:00+02"));
    // One parser for ingest and the query API: the query's one-digit month and day are timestamps too.
    assertEquals(micros("2023-01-07T00:00:00Z"), Timestamps.parseIso("2023-1-07"));
    for (String bad : List.of("2023-02-29", "1900-02-29T00:00Z", "2023-11-07T10:00:00.Z", "2023-11-07T10:00:00.1234567890Z",
        "2023-11-07T10", "2023-11-07T10:00:00+19:00", "2023-11-07T10:00:00Zjunk", "2023-011-07", "20231107", "2023-11-07X10:00")) {
      assertEquals(Long.MIN_VALUE, Timestamps.parseIso(bad), bad);
    }
  }

  /** Fluent Bit's docs payloads (output_formats page), with the default json_date_key "date" for "timestamp". */
  private static final String FLUENT_BIT_RECORDS = "{\n  \"date\": 1398282091.000,\n  \"log\": \"Core: initialization and 32 bit fixes.\","
      + "\n  \"commit\": \"b327996bfcbc0f1f47e62c862c6f303592dfacea\",\n  \"author\": \"Eduardo Silva\"\n}SEP{\n  \"date\": "
      + "1422350608.000,\n  \"log\": \"Initial import.\",\n  \"commit\": \"49269c5ec3c74411943e362cfef85052665ae97f\",\n  "
      + "\"author\": \"Eduardo Silva\"\n}";

  @Test
  void framingIsDetectedFromTheBody() throws Exception {
    for (String sep : List.of("", "\n", ",")) {
      String body = sep.equals(",") ? "[" + FLUENT_BIT_RECORDS.replace("SEP", ",") + "]" : FLUENT_BIT_RECORDS.replace("SEP", sep);
      List<LogEvent> events = parse(body, BodyFormat.DETECT);
      assertEquals(2, events.size(), "separator '" + sep + "'");
      assertEquals(1_398_282_091_000_000L, events.get(0).tsMicros(), "Fluent Bit's date key is epoch seconds");
      assertEquals(1_422_350_608_000_000L, events.get(1).tsMicros());
      assertTrue(events.get(1).attributes().contains("\"log\":\"Initial import.\""), events.get(1).attributes());
      assertTrue(!events.get(1).attributes().contains("\"date\""), "the date that became ts is not kept twice");
    }
    // Vector's http sink, codec json: JSON array framing, or newline_delimited.
    String vector = "{\"host\":\"h1\",\"message\":\"hello\",\"source_type\":\"demo_logs\",\"timestamp\":\"2024-05-01T10:00:00.123456789Z\"}";
    assertEquals(2, parse("[" + vector + "," + vector + "]", BodyFormat.DETECT).size());
    List<LogEvent> lines = parse(vector + "\n" + vector + "\n", BodyFormat.DETECT);
    assertEquals(2, lines.size());
    assertEquals("hello", lines.get(1).message());
    assertEquals(micros("2024-05-01T10:00:00.123456Z"), lines.get(1).tsMicros());
    assertEquals(1_700_000_000_123_456L, parse("{\"date\":1700000000.123456}", BodyFormat.DETECT).get(0).tsMicros(),
        "exact to the microsecond, as Fluent Bit prints it");
    assertEquals(micros("2018-05-30T09:39:52.000681Z"), parse("{\"date\":\"2018-05-30T09:39:52.000681Z\"}").get(0).tsMicros(),
        "json_date_format iso8601");
    LogEvent own = parse("{\"date\":\"next tuesday\"}").get(0);
    assertEquals(RECEIVED, own.tsMicros());
    assertEquals("{\"date\":\"next tuesday\"}", own.attributes(), "a date that is no time stays the sender's attribute");
    assertEquals(micros("2020-01-01T00:00:00Z"), parse("{\"timestamp\":\"2020-01-01\",\"date\":1}").get(0).tsMicros(),
        "timestamp wins over date");
    for (String bad : List.of("{\"a\":1}{\"b\":", "{\"a\":1} trailing", "{\"a\":1} 42", "[{\"a\":1}]{\"b\":2}", "{\"a\":1}[{\"b\":2}]")) {
      InvalidEventException e = assertThrows(InvalidEventException.class, () -> parse(bad, BodyFormat.DETECT), bad);
      assertEquals(400, e.status(), bad);
    }
  }

  @Test
  void missingTimestampIsTheReceiveTime() throws Exception {
    assertEquals(RECEIVED, parse("{\"message\":\"x\"}").get(0).tsMicros());
    assertEquals(RECEIVED, parse("{\"message\":\"x\",\"timestamp\":null}").get(0).receivedMicros());
  }

  @Test
  void emojiAndFourByteScriptsRoundTripExactly() throws Exception {
    String text = "🚀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱 — é ✓";
    LogEvent e = parse("{\"message\":\"" + text + "\",\"k\":\"" + text + "\",\"esc\":\"\\ud83d\\ude80\"}").get(0);
    assertEquals(text, e.message());
    assertEquals("{\"k\":\"" + text + "\",\"esc\":\"🚀\"}", e.attributes());
  }

  private InvalidEventException reject(String body) {
    return assertThrows(InvalidEventException.class, () -> parse(body));
  }

  @Test
  void wrongFieldTypesNameTheEventAndField() {
    InvalidEventException e = reject("[{\"message\":\"ok\"},{\"message\":{\"a\":1}}]");
    assertEquals(1, e.eventIndex());
    assertEquals("message", e.field());
    assertEquals("level", reject("{\"level\":5}").field());
    assertEquals("source", reject("{\"source\":[1]}").field());
    assertEquals("timestamp", reject("{\"timestamp\":true}").field());
    assertEquals("timestamp", reject("{\"timestamp\":\"yesterday\"}").field());
    assertEquals("timestamp", reject("{\"timestamp\":\"10000-01-01T00:00:00Z\"}").field());
    assertEquals("timestamp", reject("{\"timestamp\":1e18}").field());
  }

  @Test
  void malformedBodiesAreRejectedWhole() {
    for (String bad : List.of("", "   ", "{", "{\"a\":}", "[{\"a\":1},", "42", "\"x\"", "[1,2]", "{\"a\":1}{\"b\":2}",
        "{\"a\":1} trailing", "nul", "{\"a\":\"\\x\"}")) {
      InvalidEventException e = assertThrows(InvalidEventException.class, () -> parse(bad), bad);
      assertEquals(400, e.status(), bad);
    }
  }

  @Test
  void valuesMysqlCouldNotStoreAreRejectedUpFront() {
    assertEquals("x", reject("{\"x\":1e400}").field());
    assertEquals("x", reject("{\"x\":" + "9".repeat(400) + "}").field());
    assertEquals("message", reject("{\"message\":\"\\ud800\"}").field());
    assertEquals("y", reject("{\"y\":\"a\\udc00b\"}").field());
    assertTrue(reject("{" + "\"a\":{".repeat(100) + "}".repeat(101)).getMessage().contains("nesting"));
    assertEquals("level", reject("{\"level\":\"" + "X".repeat(17) + "\"}").field());
    assertEquals("source", reject("{\"source\":\"" + "s".repeat(256) + "\"}").field());
  }

  @Test
  void invalidUtf8IsRejectedIncludingOverlongForms() {
    for (byte[] bad : new byte[][] {
        {'{', '"', 'm', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, // overlong "/"
        {'{', '"', 'm', '"', ':', '"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"', '}'}, // overlong, 3 bytes
        {'{', '"', 'm', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // encoded surrogate
        {'{', '"', 'm', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'}, // > U+10FFFF
        {'{', '"', 'm', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'}}) { // truncated sequence
      InvalidEventException e = assertThrows(InvalidEventException.class,
          () -> parser.parse(bad, 0, bad.length, BodyFormat.JSON, RECEIVED, writer(1 << 20, new RecordBuffer(64))));
      assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
  }

  @Test
  void impossibleDatesAreRejectedNotClamped() {
    assertEquals("timestamp", reject("{\"timestamp\":\"2023-02-30T00:00:00Z\"}").field());
    assertEquals("timestamp", reject("{\"timestamp\":\"2023-13-01\"}").field());
    assertEquals("timestamp", reject("{\"timestamp\":\"2023-01-01T24:00:00Z\"}").field());
  }

  @Test
  void messageOverTheLimitIs413() {
    byte[] body = "{\"message\":\"éééééé\"}".getBytes(StandardCharsets.UTF_8);
    InvalidEventException e = assertThrows(InvalidEventException.class,
        () -> parser.parse(body, 0, body.length, BodyFormat.JSON, RECEIVED, writer(10, new RecordBuffer(64))));
    assertEquals(413, e.status());
  }

  @Test
  void ndjsonLineThatIsNotAnObjectIsRejected() {
    InvalidEventException e = assertThrows(InvalidEventException.class,
        () -> parse("{\"message\":\"a\"}\n[1]\n", BodyFormat.NDJSON));
    assertEquals(1, e.eventIndex());
  }
}

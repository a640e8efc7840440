package io.logrouter.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path must be invisible: for every body, the router with {@link VerbatimEventScanner} in front
 * writes the same document bytes, or refuses with the same status, event, field and words, as Jackson's
 * path alone. Bodies are generated from pieces that sit on either side of the verbatim subset's edges
 * (escapes, nesting and its depth limit, exponents, numeric times, aliases, duplicate keys, framing, limits).
 */
class VerbatimEventScannerTest {
  private static final long RECEIVED = 1_700_000_123_456_789L;
  private static final int MAX_EVENTS = 6;
  private static final int MAX_ATTRIBUTES = 5;
  private static final long MAX_MESSAGE_BYTES = 40;
  private static final int MAX_DEPTH = 3;

  /** Keys and values inside the verbatim subset (valid, though some break a limit of the database)... */
  private static final String[] KEYS = {"level", "severity", "event_type", "type", "source", "component", "message",
      "timestamp", "user_id", "env", "request_id", "état", "🚀", "msg", "levels", "", "a\\\"b", "tab\\tkey"};
  private static final String[] VALUES = {"\"info\"", "\"WARNING\"", "\"\"", "\" error \"", "\"a-level-of-seventeen\"",
      "\"checkout-01\"", "\"order 7 placed\"", "\"é ü 中文 🚀\"", "\"\u007f del\"",
      "\"" + "long message ".repeat(4) + "\"",
      "\"2024-10-07T10:00:00.000Z\"", "\"2024-10-07T12:00:00+02:00\"", "\" 2024-10-07T10:00:00Z \"",
      "\"0999-01-01T00:00:00Z\"", "0", "-0", "7919", "-12", "1.5", "0.50", "1700000000.123", "9".repeat(300),
      "true", "false", "null", "\"x\\\"y\"", "\"tab\\there\"", "\"line\\nbreak\\r\\n\\b\\f\\\\ \"",
      "\"\\\"quoted\\\"\"", "\"at com.example.A.run(A.java:1)\\n\\tat java.lang.Thread.run\"",
      "\"http:\\/\\/example.com\\/a\"", "\"caf\\u00e9 \\u4E2D \\ud83d\\ude80\"",
      "\"\\u0001\\u001f\\u0009\\u0022\\u005c\\u002F\\u007f\"", "\"\\u0000\""};
  /** The keys whose value must be a string (or that count only as one), and what they usually hold. */
  private static final String[] LEVELS = {"\"warn\"", "\"Info\"", "\"\"", "null", "\"a\\tb\""};
  private static final java.util.Map<String, String[]> TEXTS = java.util.Map.of("level", LEVELS, "severity", LEVELS,
      "event_type", LEVELS, "type", LEVELS, "source", new String[] {"\"api\"", "\"é-svc\"", "null"},
      "component", new String[] {"\"db\"", "null"},
      "message", new String[] {"\"short\"", "\"🚀 launched\"", "null", "\"said \\\"hi\\\"\\n\\tok\\\\\"",
          "\"caf\\u00e9 \\/ \\ud83d\\ude80 \\u0007\""},
      "timestamp", new String[] {"\"2024-10-07T10:00:00.000Z\"", "\"2024-10-07T12:00:00.5+02:00\"", "null",
          "1700000000123", "1700000000123.5", "-5", "\" 1700000000123 \"", "\"1.5\"", "true", "99999999999999999999"});
  /** ...and pieces just outside it: lone surrogates, bad escapes, exponents, Fluent Bit's keys, bad JSON. */
  private static final String[] EDGE_KEYS = {"unix_ts", "date", "k\\u0041", "a\\/b", "\\u006cevel"};
  private static final String[] EDGE_VALUES = {"\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\u0041\"", "\"\\u12G4\"",
      "\"\\u12\"", "\"\\x\"",
      "\"2024-02-30T00:00:00Z\"", "\"1700000000000\"", "\"yesterday\"", "01", "1.", "1e3", "-", "2E-2", "1700000000000",
      "tru", "nulls", "\"a\u0001b\"", "9".repeat(301), "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1 2]"};
  private static final String[] SPACES = {"", "", "", " ", "\t", "\r\n", "  "};

  @Test
  void bothPathsWriteTheSameBytesOrRefuseAlike() throws Exception {
    Random random = new Random(20261203);
    int fast = 0;
    int refused = 0;
    for (int i = 0; i < 40_000; i++) {
      BodyFormat format = BodyFormat.values()[random.nextInt(BodyFormat.values().length)];
      String body = body(random, format);
      byte[] b = ("..." + body + "..").getBytes(StandardCharsets.UTF_8); // an offset and a length inside the array
      IngestParser parser = new IngestParser(MAX_EVENTS, MAX_ATTRIBUTES, MAX_DEPTH);
      Outcome expected = run(parser::parseWithJackson, b, format);
      Outcome actual = run(parser::parse, b, format);
      assertEquals(expected.refusal, actual.refusal, () -> format + " " + body);
      assertArrayEquals(expected.document, actual.document, () -> format + " " + body);
      fast += scanned(b, 3, b.length - 5, format) ? 1 : 0;
      refused += expected.refusal != null ? 1 : 0;
    }
    // Not vacuous: both the fast path and the fallback, and refusals, are exercised many times.
    System.out.println("fast " + fast + " refused " + refused);
    assertTrue(fast > 10_000 && fast < 30_000, "bodies the fast path took: " + fast);
    assertTrue(refused > 5_000 && refused < 30_000, "bodies refused: " + refused);
  }

  @Test
  void aBodyOfTypicalLogLinesIsScannedNotParsedByJackson() throws Exception {
    String line = "{\"timestamp\":\"2024-10-07T10:00:00.001Z\",\"level\":\"info\",\"source\":\"checkout-01\","
        + "\"message\":\"order 1 placed by user 7919 total 1.01 EUR\",\"user_id\":7919,"
        + "\"request_id\":\"00000000-0000-4000-8000-000000000001\",\"env\":\"prod\",\"ok\":true,\"note\":null}\n";
    byte[] b = line.repeat(3).getBytes(StandardCharsets.UTF_8);
    for (BodyFormat format : new BodyFormat[] {BodyFormat.NDJSON, BodyFormat.DETECT}) {
      assertTrue(scanned(b, 0, b.length, format), format.toString());
    }
    byte[] array = ("[" + line + "," + line + "]").getBytes(StandardCharsets.UTF_8);
    assertTrue(scanned(array, 0, array.length, BodyFormat.JSON));
    assertTrue(scanned(array, 0, array.length, BodyFormat.DETECT));
  }

  /** Whether the fast path took the whole body (it gives up at the first thing outside its subset). */
  private static boolean scanned(byte[] b, int offset, int length, BodyFormat format) {
    RecordBuffer document = new RecordBuffer(256);
    EventWriter out = new EventWriter(1 << 20);
    out.begin(document);
    try {
      VerbatimEventScanner scanner = new VerbatimEventScanner(MAX_EVENTS, MAX_ATTRIBUTES, MAX_DEPTH);
      return scanner.parse(b, offset, length, format, RECEIVED, out) != VerbatimEventScanner.OUTSIDE;
    } catch (InvalidEventException e) {
      return false;
    }
  }

  private record Outcome(byte[] document, String refusal) {}

  /** One of {@link IngestParser}'s two entries: {@code parse} or {@code parseWithJackson}. */
  private interface Path {
    int parse(byte[] body, int offset, int length, BodyFormat format, long receivedMicros, EventWriter out)
        throws InvalidEventException;
  }

  private static Outcome run(Path parser, byte[] b, BodyFormat format) {
    RecordBuffer document = new RecordBuffer(256);
    EventWriter out = new EventWriter(MAX_MESSAGE_BYTES);
    out.begin(document, "key-1");
    try {
      int n = parser.parse(b, 3, b.length - 5, format, RECEIVED, out);
      assertEquals(n, out.finish());
      return new Outcome(Arrays.copyOf(document.array(), document.length()), null);
    } catch (InvalidEventException e) {
      return new Outcome(null, e.status() + " " + e.eventIndex() + " " + e.field() + " " + e.getMessage());
    }
  }

  /** A body mostly framed as {@code format} expects (an array or one object for JSON, lines for NDJSON). */
  private static String body(Random random, BodyFormat format) {
    boolean odd = random.nextInt(20) == 0;
    boolean array = format == BodyFormat.JSON || (format == BodyFormat.DETECT && random.nextBoolean()) ? !odd : odd;
    int events = format == BodyFormat.JSON && !array && !odd ? 1 : 1 + random.nextInt(random.nextInt(10) == 0 ? 9 : 3);
    StringBuilder s = new StringBuilder(space(random));
    s.append(array ? "[" : "");
    for (int e = 0; e < events; e++) {
      if (e > 0) {
        s.append(array ? "," : random.nextInt(8) == 0 ? "" : "\n").append(space(random));
      }
      s.append(event(random));
    }
    s.append(space(random)).append(array ? "]" : "");
    switch (random.nextInt(40)) {
      case 0 -> s.append(",");
      case 1 -> s.append("x");
      case 2 -> s.setLength(s.length() - 1);
      case 3 -> s.insert(0, '\uFEFF');
      default -> { }
    }
    return s.append(space(random)).toString();
  }

  private static String event(Random random) {
    StringBuilder s = new StringBuilder("{").append(space(random));
    int fields = random.nextInt(7);
    for (int f = 0; f < fields; f++) {
      if (f > 0) {
        s.append(space(random)).append(',').append(space(random));
      }
      String key = key(random);
      s.append('"').append(key).append('"').append(space(random)).append(':').append(space(random))
          .append(TEXTS.containsKey(key) && random.nextInt(8) > 0 ? pick(random, TEXTS.get(key)) : value(random));
    }
    return s.append(space(random)).append('}').toString();
  }

  private static String key(Random random) {
    return random.nextInt(25) == 0 ? pick(random, EDGE_KEYS) : pick(random, KEYS);
  }

  /** Mostly values of the verbatim subset, so that whole bodies often stay in it. */
  private static String value(Random random) {
    int r = random.nextInt(30);
    if (r < 5 && r > 0) {
      return nested(random, 1 + random.nextInt(r == 1 ? MAX_DEPTH + 1 : MAX_DEPTH)); // one in four too deep
    }
    return r == 0 ? pick(random, EDGE_VALUES) : pick(random, VALUES);
  }

  private static String pick(Random random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** An object or array nesting {@code depth} levels (the depth limit is MAX_DEPTH), with whitespace inside. */
  private static String nested(Random random, int depth) {
    boolean object = random.nextBoolean();
    StringBuilder s = new StringBuilder(object ? "{" : "[").append(space(random));
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        s.append(space(random)).append(',').append(space(random));
      }
      if (object) {
        s.append('"').append(key(random)).append('"').append(space(random)).append(':').append(space(random));
      }
      s.append(depth > 1 && random.nextInt(3) > 0 ? nested(random, depth - 1) : value(random));
    }
    if (n == 0 && depth > 1) {
      s.append(object ? "\"deep\":" : "").append(nested(random, depth - 1));
    }
    return s.append(space(random)).append(object ? '}' : ']').toString();
  }

  private static String space(Random random) {
    return pick(random, SPACES);
  }
}

package io.logrouter.testsupport;

import io.logrouter.testsupport.MalformedBodies.Case;
import io.logrouter.testsupport.MalformedBodies.Category;
import io.logrouter.testsupport.MalformedBodies.Expect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Valid events as raw JSON text, and the structural and type-level corruptions of them. */
final class MalformedBodiesJson {
  /** 10,000 levels: ten times Jackson's default limit (1,000) and 100 times MySQL JSON's (100). */
  static final int DEEP = 10_000;

  private static final String[] LEVELS = {"info", "WARN", "Warning", "error", "DEBUG", "trace"};
  /** Text with what a parser must get right: escapes, accents, an emoji as a surrogate pair. */
  private static final String[] WORDS = {
    "login", "ok", "caf\u00e9", "\\u00e9t\u00e9", "rocket \uD83D\uDE80", "\\ud83d\\ude80",
    "line\\nbreak", "tab\\t", "quote \\\"x\\\"", "back\\\\slash", "\u4e2d\u6587", "a/b"
  };
  /**
   * Wrong JSON types per canonical field: none of them may be coerced. Aliases (event_type,
   * severity, type, component) are absent on purpose: a non-text alias is an ordinary attribute.
   */
  private static final String[][] WRONG_TYPES = {
    {"timestamp", "object", "{\"t\":1}"}, {"timestamp", "bool", "true"}, {"timestamp", "array", "[1700000000000]"},
    {"timestamp", "garbage-string", "\"yesterday at noon\""}, {"unix_ts", "object", "{}"}, {"unix_ts", "bool", "false"},
    {"level", "number", "3"}, {"level", "object", "{\"name\":\"info\"}"}, {"level", "array", "[\"info\"]"},
    {"level", "bool", "true"},
    {"message", "object", "{\"text\":\"hi\"}"}, {"message", "array", "[\"hi\"]"}, {"message", "number", "42"},
    {"message", "bool", "false"}, {"source", "array", "[\"svc\"]"}, {"source", "object", "{}"},
    {"source", "number", "7"}, {"source", "bool", "true"}
  };
  private static final String[][] SCALARS = {
    {"integer", "42"}, {"float", "-1.5e3"}, {"string", "\"just a string\""}, {"true", "true"}, {"false", "false"},
    {"null", "null"}, {"array-of-numbers", "[1,2,3]"}, {"array-of-strings", "[\"a\",\"b\"]"}, {"array-of-null", "[null]"},
    {"array-of-arrays", "[[{\"message\":\"nested array\"}]]"}, {"object-then-number", "[{\"message\":\"ok\"},42]"},
    {"object-then-string", "[{\"message\":\"ok\"},\"x\"]"}
  };
  /** Past every double (max ~1.8e308) and every 64-bit integer; MySQL's JSON type refuses them. */
  private static final String[] HUGE = {"1e400", "-1e400", "1" + "0".repeat(399), "-" + "9".repeat(400), "1.5E+99999"};
  private static final String[][] BAD_TIMESTAMPS = {
    {"timestamp", "year-0", "\"0000-01-01T00:00:00Z\""}, {"timestamp", "year-minus-1", "\"-0001-01-01T00:00:00Z\""},
    {"timestamp", "year-10000", "\"+10000-01-01T00:00:00Z\""}, {"timestamp", "year-10000-plain", "\"10000-01-01T00:00:00Z\""},
    {"timestamp", "millis-1e18", "1000000000000000000"}, {"timestamp", "millis-1e18-float", "1e18"},
    {"timestamp", "millis-minus-1e18", "-1000000000000000000"}, {"timestamp", "millis-long-max", "9223372036854775807"},
    {"timestamp", "millis-past-long", "9223372036854775808"}, {"unix_ts", "seconds-1e15", "1000000000000000"},
    {"timestamp", "month-13", "\"2024-13-01T00:00:00Z\""}, {"timestamp", "feb-30", "\"2024-02-30T00:00:00Z\""},
    {"timestamp", "hour-25", "\"2024-01-01T25:00:00Z\""}, {"timestamp", "offset-25h", "\"2024-01-01T00:00:00+25:00\""}
  };

  private MalformedBodiesJson() {}

  /** A valid event: canonical fields in random forms plus attributes of every JSON type. */
  static Map<String, String> event(Random r) {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("timestamp", r.nextBoolean()
        ? "\"2024-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(10) + "T0" + r.nextInt(10) + ":1" + r.nextInt(6) + ":00."
            + (100000 + r.nextInt(900000)) + (r.nextBoolean() ? "Z\"" : "+02:00\"")
        : Long.toString(1_700_000_000_000L + r.nextInt(1_000_000_000))); // epoch millis in 2023-24
    e.put("level", "\"" + MalformedBodies.oneOf(r, LEVELS) + "\"");
    e.put("source", "\"svc-" + r.nextInt(100) + "\"");
    e.put("message", "\"" + MalformedBodies.oneOf(r, WORDS) + " " + MalformedBodies.oneOf(r, WORDS) + "\"");
    e.put("id", Integer.toString(r.nextInt(1_000_000)));
    e.put("ratio", "-1.25e3");
    e.put("ok", r.nextBoolean() ? "true" : "false");
    e.put("none", "null");
    e.put("ctx", "{\"user\":\"" + MalformedBodies.oneOf(r, WORDS) + "\",\"tags\":[\"a\",2,{\"z\":false}]}");
    return e;
  }

  static String render(Map<String, String> event) {
    StringBuilder sb = new StringBuilder("{");
    event.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return sb.append('}').toString();
  }

  /** One event, an array of events or NDJSON lines, with its content type. */
  static Case valid(Random r, String detail) {
    int shape = r.nextInt(3);
    List<String> events = new ArrayList<>();
    for (int i = 1 + r.nextInt(3); i > 0; i--) { // 1 to 3 events: enough variety, short bodies
      events.add(render(event(r)));
    }
    String text = shape == 0 ? events.get(0) : shape == 1 ? "[" + String.join(",", events) + "]" : String.join("\n", events) + "\n";
    return new Case(detail, Category.MUTATION, Expect.ACCEPT_OR_REJECT, utf8(text),
        shape == 2 ? MalformedBodies.NDJSON : MalformedBodies.JSON, Optional.empty());
  }

  static Case truncated(Random r) {
    List<String> events = new ArrayList<>();
    for (int i = 1 + r.nextInt(2); i > 0; i--) {
      events.add(render(event(r)));
    }
    byte[] body = utf8(events.size() == 1 ? events.get(0) : "[" + String.join(",", events) + "]");
    MalformedBodiesCut.Kind kind = MalformedBodies.oneOf(r, MalformedBodiesCut.Kind.values());
    int cut = MalformedBodiesCut.pick(body, kind, r);
    byte[] prefix = java.util.Arrays.copyOf(body, cut);
    return MalformedBodies.reject(Category.TRUNCATED, kind.label(), prefix, MalformedBodies.JSON);
  }

  static Case wrongType(Random r) {
    String[] wrong = MalformedBodies.oneOf(r, WRONG_TYPES);
    Map<String, String> bad = event(r);
    bad.put(wrong[0], wrong[2]);
    return MalformedBodies.reject(Category.WRONG_TYPE, wrong[0] + "=" + wrong[1], amongGood(r, bad), MalformedBodies.JSON);
  }

  static Case topLevelScalar(Random r) {
    String[] scalar = MalformedBodies.oneOf(r, SCALARS);
    return MalformedBodies.reject(Category.TOP_LEVEL_SCALAR, scalar[0], utf8(scalar[1]), MalformedBodies.JSON);
  }

  static Case deepNesting(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> MalformedBodies.reject(Category.DEEP_NESTING, "arrays-top", utf8("[".repeat(DEEP) + "]".repeat(DEEP)), MalformedBodies.JSON);
      case 1 -> MalformedBodies.reject(Category.DEEP_NESTING, "objects-attribute",
          utf8("{\"message\":\"deep\",\"a\":" + "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP) + "}"), MalformedBodies.JSON);
      case 2 -> MalformedBodies.reject(Category.DEEP_NESTING, "arrays-attribute",
          utf8("{\"message\":\"deep\",\"a\":" + "[".repeat(DEEP) + "]".repeat(DEEP) + "}"), MalformedBodies.JSON);
      default -> MalformedBodies.reject(Category.DEEP_NESTING, "unclosed", utf8("{\"message\":\"deep\",\"a\":" + "[{\"a\":".repeat(DEEP)),
          MalformedBodies.JSON);
    };
  }

  /**
   * Huge numbers: in {@code timestamp}/{@code unix_ts} they are out of range; in any other field
   * they are valid JSON that MySQL's JSON type cannot store, so accepting one would queue a poison
   * row on MySQL 8 (MariaDB would store it): the contract is to refuse at the door.
   */
  static Case hugeNumber(Random r) {
    String number = MalformedBodies.oneOf(r, HUGE);
    String field = MalformedBodies.oneOf(r, new String[] {"timestamp", "unix_ts", "id", "amount", "ctx"});
    Map<String, String> bad = event(r);
    bad.put(field, field.equals("ctx") ? "{\"n\":[" + number + "]}" : number);
    String shape = number.length() > 10 ? number.length() + "-digits" : number;
    return MalformedBodies.reject(Category.HUGE_NUMBER, field + "=" + shape, amongGood(r, bad), MalformedBodies.JSON);
  }

  static Case timestampOutOfRange(Random r) {
    String[] ts = MalformedBodies.oneOf(r, BAD_TIMESTAMPS);
    Map<String, String> bad = event(r);
    bad.remove("timestamp");
    bad.put(ts[0], ts[2]);
    return MalformedBodies.reject(Category.TIMESTAMP_OUT_OF_RANGE, ts[1], amongGood(r, bad), MalformedBodies.JSON);
  }

  /** Good NDJSON lines with one bad line somewhere: all-or-nothing means the whole body is refused. */
  static Case ndjsonBadLine(Random r) {
    Case bad = switch (r.nextInt(6)) {
      case 0 -> truncated(r);
      case 1 -> wrongType(r);
      case 2 -> timestampOutOfRange(r);
      case 3 -> MalformedBodiesText.invalidUtf8(r);
      case 4 -> MalformedBodiesText.unknownEscape(r);
      default -> topLevelScalar(r);
    };
    List<byte[]> lines = new ArrayList<>();
    for (int i = 2 + r.nextInt(19); i > 0; i--) { // 2 to 20 good lines: the bad one is rarely first
      lines.add(utf8(render(event(r))));
    }
    int at = r.nextInt(lines.size() + 1);
    lines.add(at, firstLine(bad.body()));
    byte[] body = join(lines);
    String detail = bad.label() + "@" + at;
    return r.nextInt(4) == 0 // a quarter gzipped: the bad line must be found after inflating too
        ? MalformedBodies.gzipped(Category.NDJSON_BAD_LINE, detail + "+gzip", Expect.REJECT,
            MalformedBodiesGzip.gzip(body), MalformedBodies.NDJSON)
        : MalformedBodies.reject(Category.NDJSON_BAD_LINE, detail, body, MalformedBodies.NDJSON);
  }

  /** A valid body with 1 to 4 random byte edits: may still be valid, so 202 is allowed. */
  static Case mutation(Random r) {
    Case base = valid(r, "mutation");
    byte[] body = base.body();
    StringBuilder ops = new StringBuilder();
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      int at = r.nextInt(body.length);
      switch (r.nextInt(3)) {
        case 0 -> {
          body = body.clone();
          body[at] ^= (byte) (1 << r.nextInt(8));
          ops.append("+flip");
        }
        case 1 -> {
          body = splice(body, at, 0, new byte[] {(byte) r.nextInt(256)});
          ops.append("+insert");
        }
        default -> {
          body = splice(body, at, 1, new byte[0]);
          ops.append("+delete");
        }
      }
    }
    return new Case("mutation/" + ops.substring(1), Category.MUTATION, Expect.ACCEPT_OR_REJECT, body,
        base.contentType(), Optional.empty());
  }

  /** The bad event alone, or inside an array of good ones (one bad event rejects them all). */
  static byte[] amongGood(Random r, Map<String, String> bad) {
    if (r.nextBoolean()) {
      return utf8(render(bad));
    }
    List<String> events = new ArrayList<>(List.of(render(event(r)), render(event(r))));
    events.add(r.nextInt(events.size() + 1), render(bad));
    return utf8("[" + String.join(",", events) + "]");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] splice(byte[] body, int at, int remove, byte[] insert) {
    byte[] out = new byte[body.length - remove + insert.length];
    System.arraycopy(body, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(body, at + remove, out, at + insert.length, body.length - at - remove);
    return out;
  }

  private static byte[] firstLine(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n') {
        return java.util.Arrays.copyOf(body, i);
      }
    }
    return body;
  }

  private static byte[] join(List<byte[]> lines) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] line : lines) {
      out.writeBytes(line);
      out.write('\n');
    }
    return out.toByteArray();
  }
}

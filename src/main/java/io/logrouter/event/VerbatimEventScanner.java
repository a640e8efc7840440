package io.logrouter.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link IngestParser}: reads a body of events straight from its bytes when its
 * numbers have no exponent, which is what most log lines are. In a body already checked to be
 * well-formed UTF-8, a string without escapes (or with only {@code \" \\ \b \f \n \r \t}) is exactly
 * what Jackson's generator would write for its text, and a number's text is what the generator copies.
 * So every attribute (nested objects and arrays too, without their whitespace) goes into the attributes
 * object, and the message into the record, as the bytes they are: never decoded into a String and
 * encoded back. The other escapes ({@code \/}, {@code \}{@code uXXXX}) are rewritten as the generator
 * would ({@link JsonEscapes}).
 *
 * <p>This class decides nothing about validity. At the first thing outside that subset (a lone
 * surrogate, a rewritten escape in a key, any escape in a time, level or source, an exponent,
 * {@code unix_ts} or {@code date}, any malformed JSON, a limit reached) it gives up with
 * {@link #OUTSIDE}, and the caller parses the whole body again with Jackson, which owns every rule
 * about what is accepted and how a refusal is worded. The only refusals thrown from here are
 * {@link EventWriter}'s, which both paths share. {@code VerbatimEventScannerTest} checks that both
 * paths write the same document bytes, or refuse alike, for every body it generates.
 *
 * <p>Thread ownership: one instance per {@link IngestParser}; it reuses its buffers.
 */
final class VerbatimEventScanner extends JsonCursor {
  /** The body is outside the verbatim subset (or not valid): parse it with Jackson. */
  static final int OUTSIDE = -1;

  /** Keys the event's own fields come from, as in {@link IngestParser}; -1 for an ordinary attribute. */
  private static final byte[][] KEYS = {
      bytes("level"), bytes("severity"), bytes("event_type"), bytes("type"), // level, in priority order
      bytes("source"), bytes("component"),                                    // source, in priority order
      bytes("message"), bytes("timestamp"), bytes("unix_ts"), bytes("date")};
  private static final int LEVELS = 4;
  private static final int SOURCE = 4;
  private static final int SOURCES = 2;
  private static final int MESSAGE = 6;
  private static final int TIMESTAMP = 7;

  /** Which of {@link #KEYS} are aliases: they set the level or source only when they hold text. */
  private static final boolean[] ALIAS = {false, true, true, true, false, true, false, false, false, false};

  private final int maxEvents;
  private final int maxAttributes;
  /** Deepest object/array inside an attribute: {@code event.max.attributes.depth}, and what Jackson's limit leaves. */
  private final int maxDepth;
  /** Start (just after the opening quote) and length of each level and source slot's text; -1: none. */
  private final int[] textAt = new int[LEVELS + SOURCES];
  private final int[] textLength = new int[LEVELS + SOURCES];
  /** Where each slot's key starts (its opening quote): a losing alias is kept as an attribute. */
  private final int[] keyAt = new int[LEVELS + SOURCES];
  private byte[] attributes = new byte[1024];
  private int attributesLength;
  /**
   * The current event's time (Long.MIN_VALUE: none), message ({@code messageBytes[messageAt, +messageLength)}:
   * in the body, or in messageText when decoded; messageAt -1: none) and attribute count.
   */
  private long ts;
  private byte[] messageBytes;
  private int messageAt;
  private int messageLength;
  private byte[] messageText = new byte[256];
  private int attributeCount;

  VerbatimEventScanner(int maxEvents, int maxAttributes, int maxAttributeDepth) {
    this.maxEvents = maxEvents;
    this.maxAttributes = maxAttributes;
    this.maxDepth = Math.min(maxAttributeDepth, IngestParser.MAX_ATTRIBUTE_DEPTH);
  }

  /**
   * Adds the events of {@code body} to {@code out} when all of them are in the verbatim subset.
   *
   * @return the number of events written, or {@link #OUTSIDE}: then {@code out} holds part of them,
   *     which the caller discards
   * @throws InvalidEventException when {@link EventWriter} refuses an event (a limit of the database)
   */
  int parse(byte[] body, int offset, int length, BodyFormat format, long receivedMicros, EventWriter out)
      throws InvalidEventException {
    b = body;
    pos = offset;
    end = offset + length;
    try {
      return events(format, receivedMicros, out);
    } finally {
      b = null; // the request's body is not kept past its request
      messageBytes = null;
    }
  }

  private int events(BodyFormat format, long receivedMicros, EventWriter out) throws InvalidEventException {
    int count = 0;
    skipWhitespace();
    if (format != BodyFormat.NDJSON && pos < end && b[pos] == '[') {
      pos++;
      do {
        skipWhitespace();
        if (count == maxEvents || !event(count++, receivedMicros, out)) {
          return OUTSIDE;
        }
        skipWhitespace();
      } while (pos < end && b[pos++] == ',');
      if (b[pos - 1] != ']') {
        return OUTSIDE;
      }
      skipWhitespace();
    } else {
      do {
        if (count == maxEvents || !event(count++, receivedMicros, out)) {
          return OUTSIDE;
        }
        skipWhitespace();
      } while (format != BodyFormat.JSON && pos < end);
    }
    return pos == end ? count : OUTSIDE;
  }

  /** One event object at {@code pos}. @return false when it is outside the subset (or not valid) */
  private boolean event(int index, long receivedMicros, EventWriter out) throws InvalidEventException {
    if (pos >= end || b[pos] != '{') {
      return false;
    }
    pos++;
    Arrays.fill(textAt, -1);
    messageAt = -1;
    ts = Long.MIN_VALUE;
    attributeCount = 0;
    attributesLength = 0;
    put((byte) '{');
    skipWhitespace();
    if (pos < end && b[pos] == '}') {
      pos++;
    } else {
      while (true) {
        skipWhitespace();
        if (!field()) {
          return false;
        }
        skipWhitespace();
        if (pos >= end) {
          return false;
        }
        byte c = b[pos++];
        if (c == '}') {
          break;
        }
        if (c != ',') {
          return false;
        }
      }
    }
    String level = pick(0, LEVELS);
    String source = pick(SOURCE, SOURCES);
    put((byte) '}');
    out.addUtf8(index, ts != Long.MIN_VALUE ? ts : receivedMicros, receivedMicros, level, source,
        messageBytes, messageAt, messageLength, attributes, 0, attributesLength);
    return true;
  }

  /** One {@code "name": value} of an event, taken as {@link IngestParser} takes it. @return false: give up */
  private boolean field() {
    int nameAt = pos;
    if (!string() || rewritten) { // a name with an escape rewritten (\/, backslash-u) could spell one of KEYS
      return false;
    }
    int nameEnd = pos;
    skipWhitespace();
    if (pos >= end || b[pos++] != ':') {
      return false;
    }
    skipWhitespace();
    int key = key(nameAt + 1, nameEnd - 1);
    if (pos < end && (b[pos] == '{' || b[pos] == '[')) {
      // An object or array is an ordinary attribute, or an alias's (which counts only as text); a canonical
      // field refuses it.
      return (key < 0 || ALIAS[key]) && attributeName(nameAt, nameEnd) && nested(1);
    }
    int valueAt = pos;
    int kind = value();
    if (kind == FAIL || key > TIMESTAMP) { // unix_ts and date: Jackson reads their numbers
      return false;
    }
    if (key >= 0 && kind == STRING && escaped && key != MESSAGE) {
      return false; // a time, level or source with an escape: Jackson decodes it
    }
    if (key == TIMESTAMP) {
      ts = kind == NULL ? Long.MIN_VALUE : timestamp(kind == STRING, valueAt);
      return ts != Long.MIN_VALUE + 1; // not a time: Jackson's refusal
    }
    if (key >= 0 && !ALIAS[key]) { // level, source, message: text or null, else Jackson's "must be a string"
      if (kind == OTHER) {
        return false;
      }
      if (key == MESSAGE) {
        message(kind == STRING, valueAt);
      } else {
        slot(key, kind == STRING, nameAt, valueAt);
      }
      return true;
    }
    if (key >= 0 && kind == STRING) {
      slot(key, true, nameAt, valueAt); // an alias counts when it holds text
      return true;
    }
    if (!attributeName(nameAt, nameEnd)) {
      return false;
    }
    copyValue(kind, valueAt);
    return true;
  }

  /**
   * Copies the object or array at {@code pos} without its whitespace, as Jackson's generator writes it.
   * @return false when it is outside the subset (or not valid), or nests deeper than allowed
   */
  private boolean nested(int depth) {
    if (depth > maxDepth) {
      return false;
    }
    byte open = b[pos++];
    byte close = (byte) (open + 2); // '{' + 2 = '}', '[' + 2 = ']'
    put(open);
    skipWhitespace();
    if (pos < end && b[pos] == close) {
      pos++;
      put(close);
      return true;
    }
    while (true) {
      skipWhitespace();
      if (open == '{' && !nestedName()) {
        return false;
      }
      if (pos < end && (b[pos] == '{' || b[pos] == '[')) {
        if (!nested(depth + 1)) {
          return false;
        }
      } else {
        int valueAt = pos;
        int kind = value();
        if (kind == FAIL) {
          return false;
        }
        copyValue(kind, valueAt);
      }
      skipWhitespace();
      if (pos >= end) {
        return false;
      }
      byte c = b[pos++];
      put(c);
      if (c == close) {
        return true;
      }
      if (c != ',') {
        return false;
      }
    }
  }

  /** {@code "name":} inside a nested object, copied; the value follows. */
  private boolean nestedName() {
    int nameAt = pos;
    if (!string()) {
      return false;
    }
    copyValue(STRING, nameAt);
    skipWhitespace();
    if (pos >= end || b[pos++] != ':') {
      return false;
    }
    put((byte) ':');
    skipWhitespace();
    return true;
  }

  /** The message string (or null) that ends at {@code pos}: its bytes where it has no escape, else decoded. */
  private void message(boolean text, int valueAt) {
    if (!text) {
      messageAt = -1;
    } else if (escaped) {
      if (messageText.length < pos - valueAt) {
        messageText = new byte[Math.max(pos - valueAt, 2 * messageText.length)];
      }
      messageLength = JsonEscapes.writeText(b, valueAt + 1, pos - 1, messageText, 0);
      messageBytes = messageText;
      messageAt = 0;
    } else {
      messageBytes = b;
      messageAt = valueAt + 1;
      messageLength = pos - valueAt - 2;
    }
  }

  private void slot(int key, boolean text, int nameAt, int valueAt) {
    textAt[key] = text ? valueAt + 1 : -1;
    textLength[key] = pos - valueAt - 2;
    keyAt[key] = nameAt;
  }

  /** Starts one more top-level attribute: {@code ,"name":}. @return false past {@code event.max.attributes} */
  private boolean attributeName(int nameAt, int nameEnd) {
    if (attributeCount++ == maxAttributes) {
      return false;
    }
    if (attributesLength > 1) {
      put((byte) ',');
    }
    copy(nameAt, nameEnd);
    put((byte) ':');
    return true;
  }

  /** The first slot with text wins; the losing aliases are kept as string attributes, as Jackson's path does. */
  private String pick(int from, int slots) {
    String winner = null;
    for (int i = from; i < from + slots; i++) {
      int at = textAt[i];
      if (at < 0) {
        continue;
      }
      if (winner == null) {
        winner = new String(b, at, textLength[i], StandardCharsets.UTF_8);
      } else {
        if (attributesLength > 1) {
          put((byte) ',');
        }
        copy(keyAt[i], keyAt[i] + KEYS[i].length + 2);
        put((byte) ':');
        copy(at - 1, at + textLength[i] + 1);
      }
    }
    return winner;
  }

  /** Appends {@code b[from, to)}: text already in the generator's form. */
  private void copy(int from, int to) {
    ensure(to - from);
    System.arraycopy(b, from, attributes, attributesLength, to - from);
    attributesLength += to - from;
  }

  /**
   * Appends the string, number or literal at {@code b[valueAt, pos)}: as it is, but a string with an escape
   * Jackson's generator writes differently ({@link #rewritten}) as the generator writes it.
   */
  private void copyValue(int kind, int valueAt) {
    if (kind != STRING || !rewritten) {
      copy(valueAt, pos);
      return;
    }
    ensure(pos - valueAt);
    attributes[attributesLength++] = '"';
    attributesLength = JsonEscapes.writeJson(b, valueAt + 1, pos - 1, attributes, attributesLength);
    attributes[attributesLength++] = '"';
  }

  private void ensure(int n) {
    if (attributesLength + n > attributes.length) {
      attributes = Arrays.copyOf(attributes, Math.max(attributes.length * 2, attributesLength + n));
    }
  }

  private void put(byte c) {
    ensure(1);
    attributes[attributesLength++] = c;
  }

  /**
   * The time at {@code b[valueAt, pos)}, read as {@link FieldReader#timestamp} reads it: ISO-8601 text, or
   * epoch milliseconds (a number, or a string of digits). @return Long.MIN_VALUE + 1 when Jackson's path
   * must read it (true or false, not a time, out of range)
   */
  private long timestamp(boolean text, int valueAt) {
    int from = text ? valueAt + 1 : valueAt;
    int to = text ? pos - 1 : pos;
    if (!text && b[from] != '-' && (b[from] < '0' || b[from] > '9')) {
      return Long.MIN_VALUE + 1;
    }
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        return Long.MIN_VALUE + 1;
      }
    }
    String time = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    long micros = text ? FieldReader.micros(time.trim(), false)
        : FieldReader.fromNumber(Double.parseDouble(time), false);
    return micros == Long.MIN_VALUE || !Timestamps.inRange(micros) ? Long.MIN_VALUE + 1 : micros;
  }

  /** Which of {@link #KEYS} the name in {@code [from, to)} is; -1 for any other name. */
  private int key(int from, int to) {
    int n = to - from;
    if (n < 4 || n > 10) {
      return -1;
    }
    for (int k = 0; k < KEYS.length; k++) {
      byte[] key = KEYS[k];
      if (key.length == n && key[0] == b[from] && Arrays.equals(b, from, to, key, 0, n)) {
        return k;
      }
    }
    return -1;
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.US_ASCII);
  }
}

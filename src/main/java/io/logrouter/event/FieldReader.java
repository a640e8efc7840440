package io.logrouter.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Reads and checks single field values for {@link IngestParser}. Stateless. */
final class FieldReader {
  private FieldReader() {}

  /** A string field, or null for JSON null; any other type is a 400 naming the field. */
  static String text(JsonParser p, JsonToken t, int index, String field) throws IOException, InvalidEventException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new InvalidEventException(index, field, field + " must be a string");
    }
    return p.getText();
  }

  /**
   * An event time in micros: ISO-8601 text, or a number (or a string of digits) in epoch
   * milliseconds — epoch seconds when {@code seconds} (the {@code unix_ts} field).
   *
   * @return micros, or {@link Long#MIN_VALUE} for JSON null (= missing)
   */
  static long timestamp(JsonParser p, JsonToken t, int index, String field, boolean seconds)
      throws IOException, InvalidEventException {
    long micros;
    switch (t) {
      case VALUE_NULL:
        return Long.MIN_VALUE;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        micros = fromNumber(p.getDoubleValue(), seconds);
        break;
      case VALUE_STRING:
        micros = micros(p.getText().trim(), seconds);
        break;
      default:
        throw new InvalidEventException(index, field, field + (seconds
            ? " must be epoch seconds" : " must be an ISO-8601 string or epoch milliseconds"));
    }
    if (micros == Long.MIN_VALUE) {
      throw new InvalidEventException(index, field, field + " is not a valid time: " + p.getText());
    }
    if (!Timestamps.inRange(micros)) {
      throw new InvalidEventException(index, field, field + " is out of range (years 1000 to 9999)");
    }
    return micros;
  }

  /**
   * Fluent Bit's {@code date} key: a number of epoch seconds (fraction allowed) or an ISO-8601 string,
   * within the stored range. @return micros, or {@link Long#MIN_VALUE} when it is neither (the
   * caller keeps it as an ordinary attribute)
   */
  static long dateKey(JsonParser p, JsonToken t) throws IOException {
    long micros = switch (t) {
      // Exact decimal: a double of 1700000000.123456 s can round to ...455 µs. The magnitude is checked
      // first so that an exponent like 1e999999999 never reaches BigDecimal arithmetic.
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Math.abs(p.getDoubleValue()) < 1e12
          ? p.getDecimalValue().movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValue()
          : Long.MIN_VALUE;
      case VALUE_STRING -> Timestamps.parseIso(p.getText().trim());
      default -> Long.MIN_VALUE;
    };
    return micros != Long.MIN_VALUE && Timestamps.inRange(micros) ? micros : Long.MIN_VALUE;
  }

  /** A time sent as text (trimmed): digits are epoch milliseconds (seconds), else ISO-8601. Long.MIN_VALUE: neither */
  static long micros(String text, boolean seconds) {
    return looksNumeric(text) ? fromNumber(Double.parseDouble(text), seconds) : Timestamps.parseIso(text);
  }

  static long fromNumber(double value, boolean seconds) {
    return seconds ? Timestamps.fromSeconds(value) : Timestamps.fromMillis(value);
  }

  private static boolean looksNumeric(String s) {
    if (s.isEmpty() || s.length() > 20) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && c != '.' && !(i == 0 && c == '-')) {
        return false;
      }
    }
    return s.chars().anyMatch(Character::isDigit) && s.indexOf('.') == s.lastIndexOf('.');
  }

  /** Rejects text MySQL's utf8mb4 would refuse: a lone surrogate (e.g. from an escaped "\ud800"). */
  static void checkText(String s, int index, String field) throws InvalidEventException {
    if (s != null && Utf8.hasLoneSurrogate(s)) {
      throw new InvalidEventException(index, field, field + " holds an unpaired UTF-16 surrogate (invalid Unicode)");
    }
  }

  /**
   * Copies the value starting at {@code t} token by token. Numbers keep their exact text; one
   * MySQL cannot store (beyond a double) is a 400 rather than a row MySQL later refuses. Objects
   * and arrays nested deeper than {@code maxDepth} inside the value are a 400 too.
   */
  static void copyValue(JsonParser p, JsonToken t, int index, String field, JsonGenerator gen, int maxDepth)
      throws IOException, InvalidEventException {
    int depth = 0;
    while (true) {
      switch (t) {
        case START_OBJECT -> { gen.writeStartObject(); depth = deeper(depth, maxDepth, index, field); }
        case START_ARRAY -> { gen.writeStartArray(); depth = deeper(depth, maxDepth, index, field); }
        case END_OBJECT -> { gen.writeEndObject(); depth--; }
        case END_ARRAY -> { gen.writeEndArray(); depth--; }
        case FIELD_NAME -> {
          checkText(p.currentName(), index, field);
          gen.writeFieldName(p.currentName());
        }
        case VALUE_STRING -> copyString(p, index, field, gen);
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> copyNumber(p, t, index, field, gen);
        case VALUE_TRUE -> gen.writeBoolean(true);
        case VALUE_FALSE -> gen.writeBoolean(false);
        case VALUE_NULL -> gen.writeNull();
        default -> throw new InvalidEventException(index, field, "unsupported JSON token " + t);
      }
      if (depth == 0) {
        return;
      }
      t = p.nextToken();
    }
  }

  private static int deeper(int depth, int maxDepth, int index, String field) throws InvalidEventException {
    if (depth == maxDepth) {
      throw new InvalidEventException(index, field, field + ": nesting is deeper than " + maxDepth
          + " levels (event.max.attributes.depth)");
    }
    return depth + 1;
  }

  private static void copyString(JsonParser p, int index, String field, JsonGenerator gen)
      throws IOException, InvalidEventException {
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    for (int i = offset, end = offset + length; i < end; i++) {
      if (Character.isSurrogate(chars[i])) {
        checkText(new String(chars, offset, length), index, field);
        break;
      }
    }
    gen.writeString(chars, offset, length);
  }

  private static void copyNumber(JsonParser p, JsonToken t, int index, String field, JsonGenerator gen)
      throws IOException, InvalidEventException {
    if (p.getTextLength() > IngestParser.MAX_NUMBER_TEXT
        || (t == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(p.getDoubleValue()))) {
      throw new InvalidEventException(index, field, field + " holds a number too large to store");
    }
    gen.writeNumber(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
  }
}

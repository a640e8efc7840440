package io.logrouter.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A position in the bytes of a JSON body, and steps over its strings, numbers, literals and whitespace:
 * the tokenizer under {@link VerbatimEventScanner}. A step that meets anything it does not take answers
 * false (or {@link #FAIL}) and leaves the position where it stopped.
 */
abstract class JsonCursor {
  /** Value kinds {@link #value()} reports. */
  static final int FAIL = 0;
  static final int STRING = 1;
  static final int NULL = 2;
  static final int OTHER = 3;
  /** Longer strings are rare, and at Jackson's limit for names (MAX_KEY_BYTES): Jackson takes them. */
  private static final int MAX_STRING_BYTES = IngestParser.MAX_KEY_BYTES;
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** The body, the position, and the end of the body's range. */
  byte[] b;
  int pos;
  int end;
  /** Whether the last string {@link #string()} read had an escape; one the generator writes differently. */
  boolean escaped;
  boolean rewritten;

  /** Skips one string, number or literal at {@code pos}. @return its kind, FAIL for anything else */
  final int value() {
    if (pos >= end) {
      return FAIL;
    }
    byte c = b[pos];
    if (c == '"') {
      return string() ? STRING : FAIL;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number() ? OTHER : FAIL;
    }
    if (literal("null")) {
      return NULL;
    }
    return literal("true") || literal("false") ? OTHER : FAIL;
  }

  /**
   * A string at {@code pos} (its opening quote): ends after the closing quote, and sets {@link #escaped}
   * and {@link #rewritten}. @return false at an invalid escape or a lone surrogate, a control character
   * (invalid unescaped) or a very long string
   */
  final boolean string() {
    if (pos >= end || b[pos] != '"') {
      return false;
    }
    int limit = Math.min(end, pos + 1 + MAX_STRING_BYTES + 1);
    pos++;
    escaped = false;
    rewritten = false;
    while (true) {
      pos = nextSpecial(pos, limit);
      if (pos == limit) {
        return false;
      }
      if (b[pos] == '"') {
        pos++;
        return true;
      }
      int next = b[pos] == '\\' ? JsonEscapes.skip(b, pos, limit) : JsonEscapes.INVALID;
      if (next == JsonEscapes.INVALID) {
        return false;
      }
      escaped = true;
      rewritten |= !JsonEscapes.writtenAsSent(b, pos);
      pos = next;
    }
  }

  /** The first quote, backslash or control byte in {@code b[from, limit)}, eight bytes a step; limit when none. */
  private int nextSpecial(int from, int limit) {
    int i = from;
    while (i + 8 <= limit) {
      long w = (long) LONG.get(b, i);
      long special = (w - 0x2020202020202020L) & ~w & HIGHS // a byte below 0x20
          | hasZero(w ^ 0x2222222222222222L) | hasZero(w ^ 0x5C5C5C5C5C5C5C5CL); // '"', '\'
      if (special != 0) {
        return i + (Long.numberOfTrailingZeros(special) >>> 3);
      }
      i += 8;
    }
    while (i < limit && b[i] != '"' && b[i] != '\\' && (b[i] < 0 || b[i] >= 0x20)) {
      i++;
    }
    return i;
  }

  /**
   * The high bit of each zero byte of {@code w}. Exact for the lowest such byte (a borrow only marks
   * bytes above a real zero), which is all {@link #string()} reads.
   */
  private static long hasZero(long w) {
    return (w - ONES) & ~w & HIGHS;
  }

  /**
   * {@code -?(0|[1-9][0-9]*)(.[0-9]+)?}, which is always finite. Whatever follows it (an exponent, which
   * Jackson checks, or a digit after a leading 0) is not a delimiter, so the caller gives up there.
   */
  private boolean number() {
    int from = pos;
    if (b[pos] == '-') {
      pos++;
    }
    if (pos < end && b[pos] == '0') {
      pos++;
    } else if (digits() == 0) {
      return false;
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      if (digits() == 0) {
        return false;
      }
    }
    return pos - from <= IngestParser.MAX_NUMBER_TEXT;
  }

  private int digits() {
    int from = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    return pos - from;
  }

  private boolean literal(String word) {
    int n = word.length();
    if (end - pos < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != word.charAt(i)) {
        return false;
      }
    }
    pos += n;
    return true;
  }

  /** JSON's whitespace. */
  final void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      pos++;
    }
  }

}

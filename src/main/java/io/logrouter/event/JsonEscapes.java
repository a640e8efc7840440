package io.logrouter.event;

/**
 * The escapes of JSON strings, for {@link VerbatimEventScanner}: which ones are valid, and how the text
 * of a string that holds them is written as Jackson's generator writes it (attributes) or as plain
 * text (the message). Stateless. Every method takes a string's content, the bytes between its quotes,
 * already checked by {@link #skip}; neither way of writing it is ever longer than the input.
 */
final class JsonEscapes {
  /** {@link #skip}'s answer for an escape the fast path does not take. */
  static final int INVALID = -1;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private JsonEscapes() {}

  /**
   * The escape at {@code b[at]} (a backslash). @return where it ends; {@link #INVALID} when it is not
   * one of JSON's, or it is a surrogate without its pair (text MySQL's utf8mb4 refuses: Jackson's path
   * words that refusal)
   */
  static int skip(byte[] b, int at, int limit) {
    if (at + 1 >= limit) {
      return INVALID;
    }
    switch (b[at + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
        return at + 2;
      case 'u':
        int c = hex4(b, at + 2, limit);
        if (c < 0 || Character.isLowSurrogate((char) c)) {
          return INVALID;
        }
        if (!Character.isHighSurrogate((char) c)) {
          return at + 6;
        }
        boolean paired = at + 7 < limit && b[at + 6] == '\\' && b[at + 7] == 'u'
            && Character.isLowSurrogate((char) Math.max(0, hex4(b, at + 8, limit)));
        return paired ? at + 12 : INVALID;
      default:
        return INVALID;
    }
  }

  /** Whether Jackson's generator writes the escape at {@code b[at]} back exactly as it came. */
  static boolean writtenAsSent(byte[] b, int at) {
    return switch (b[at + 1]) {
      case '"', '\\', 'b', 'f', 'n', 'r', 't' -> true;
      default -> false; // \/ becomes '/', and \\u… UTF-8 or Jackson's own escape
    };
  }

  /**
   * Writes the text of {@code b[from, to)} to {@code out} at {@code at} as Jackson's generator writes a
   * string: UTF-8, with {@code \" \\} and the control characters escaped ({@code \b \t \n \f \r} in
   * short form, the rest as upper-case {@code \}{@code u00XX}). @return where the output ends
   */
  static int writeJson(byte[] b, int from, int to, byte[] out, int at) {
    return write(b, from, to, out, at, true);
  }

  /** Writes the text of {@code b[from, to)} to {@code out} at {@code at} as UTF-8. @return where it ends */
  static int writeText(byte[] b, int from, int to, byte[] out, int at) {
    return write(b, from, to, out, at, false);
  }

  private static int write(byte[] b, int from, int to, byte[] out, int at, boolean json) {
    int i = from;
    while (i < to) {
      byte c = b[i];
      if (c != '\\') {
        out[at++] = c;
        i++;
        continue;
      }
      int cp;
      int next = skip(b, i, to);
      if (b[i + 1] == 'u') {
        cp = hex4(b, i + 2, to);
        if (next == i + 12) {
          cp = Character.toCodePoint((char) cp, (char) hex4(b, i + 8, to));
        }
      } else {
        cp = switch (b[i + 1]) {
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          default -> b[i + 1]; // '"', '\\', '/'
        };
      }
      at = json ? jsonChar(cp, out, at) : utf8(cp, out, at);
      i = next;
    }
    return at;
  }

  /** One code point as Jackson's generator writes it inside a string. */
  private static int jsonChar(int cp, byte[] out, int at) {
    if (cp >= 0x20 && cp != '"' && cp != '\\') {
      return utf8(cp, out, at);
    }
    out[at++] = '\\';
    byte shortForm = switch (cp) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '\b' -> 'b';
      case '\f' -> 'f';
      case '\n' -> 'n';
      case '\r' -> 'r';
      case '\t' -> 't';
      default -> 0;
    };
    if (shortForm != 0) {
      out[at++] = shortForm;
      return at;
    }
    out[at++] = 'u';
    out[at++] = '0';
    out[at++] = '0';
    out[at++] = HEX[cp >> 4];
    out[at++] = HEX[cp & 0xF];
    return at;
  }

  private static int utf8(int cp, byte[] out, int at) {
    if (cp < 0x80) {
      out[at++] = (byte) cp;
    } else if (cp < 0x800) {
      out[at++] = (byte) (0xC0 | (cp >> 6));
      out[at++] = (byte) (0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out[at++] = (byte) (0xE0 | (cp >> 12));
      out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      out[at++] = (byte) (0x80 | (cp & 0x3F));
    } else {
      out[at++] = (byte) (0xF0 | (cp >> 18));
      out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      out[at++] = (byte) (0x80 | (cp & 0x3F));
    }
    return at;
  }

  /** The four hex digits at {@code b[at]} as a number; -1 when they are not four hex digits. */
  private static int hex4(byte[] b, int at, int limit) {
    if (at + 4 > limit) {
      return -1;
    }
    int v = 0;
    for (int i = at; i < at + 4; i++) {
      int d = Character.digit(b[i], 16);
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }
}

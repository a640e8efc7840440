package io.logrouter.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * UTF-8 encoding of Java strings straight into queue bytes. Hand-written because the record must
 * carry standard UTF-8 (a surrogate pair becomes one 4-byte sequence, as MySQL's utf8mb4 expects),
 * and the check for lone surrogates — text MySQL would refuse — belongs on the way in.
 */
final class Utf8 {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private Utf8() {}

  /** @return true when {@code s} has a lone (unpaired) surrogate, which no valid UTF-8 can carry */
  static boolean hasLoneSurrogate(CharSequence s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      return true;
    }
    return false;
  }

  /** Encodes {@code s}, which must have no lone surrogate (checked by the parser). */
  static void encode(RecordBuffer out, String s) {
    int n = s.length();
    out.ensure(3 * n); // the most UTF-8 one UTF-16 char can take (a pair: 4 bytes for 2 chars)
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.put((byte) c);
      } else if (c < 0x800) {
        out.put((byte) (0xC0 | (c >> 6)));
        out.put((byte) (0x80 | (c & 0x3F)));
      } else if (Character.isHighSurrogate(c) && i + 1 < n) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.put((byte) (0xF0 | (cp >> 18)));
        out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
        out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
        out.put((byte) (0x80 | (cp & 0x3F)));
      } else {
        out.put((byte) (0xE0 | (c >> 12)));
        out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
        out.put((byte) (0x80 | (c & 0x3F)));
      }
    }
  }

  /**
   * @return the offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlong
   *     forms, no surrogates, nothing above U+10FFFF), or -1 when all of it is. Jackson decodes
   *     overlong forms such as {@code C0 AF} ("/") silently; they are a classic way to smuggle
   *     characters past filters, so the router refuses them before parsing.
   */
  static int firstInvalid(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      if (i + 8 <= end && ((long) LONG.get(b, i) & 0x8080808080808080L) == 0) {
        i += 8; // eight ASCII bytes: most of a log line
        continue;
      }
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      int n = sequenceLength(b, i, end);
      if (n == 0) {
        return i - offset;
      }
      i += n;
    }
    return -1;
  }

  /** Length of the valid multi-byte sequence at {@code i}, or 0 when it is not one. */
  private static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    int n;
    int min;
    int max;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      min = 0x80;
      max = 0xBF;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      min = c == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
      max = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      min = c == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
      max = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
    } else {
      return 0;
    }
    if (i + n > end) {
      return 0;
    }
    int second = b[i + 1] & 0xFF;
    if (second < min || second > max) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      int cont = b[i + k] & 0xFF;
      if (cont < 0x80 || cont > 0xBF) {
        return 0;
      }
    }
    return n;
  }
}

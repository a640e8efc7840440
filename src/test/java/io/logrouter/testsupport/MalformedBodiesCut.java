package io.logrouter.testsupport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/** Classifies every cut position of a compact JSON text, so truncations hit each kind on purpose. */
final class MalformedBodiesCut {
  /** Where a prefix ends, by the parser state it leaves behind. */
  enum Kind {
    AFTER_OPEN("after-open"),
    IN_KEY("in-key"),
    AFTER_KEY("after-key"),
    AFTER_COLON("after-colon"),
    IN_STRING("in-string"),
    IN_ESCAPE("in-escape"),
    MID_UTF8("mid-utf8-char"),
    IN_NUMBER("in-number"),
    IN_LITERAL("in-literal"),
    AFTER_VALUE("after-value"),
    AFTER_COMMA("after-comma");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private MalformedBodiesCut() {}

  /**
   * A random cut position (prefix length, 1 to length-1) of the wanted kind, or of any kind when
   * the text has none of it (every event of {@link MalformedBodiesJson#event} has all kinds).
   */
  static int pick(byte[] json, Kind wanted, Random r) {
    Kind[] kinds = classify(json);
    List<Integer> positions = new ArrayList<>();
    for (int p = 1; p < json.length; p++) {
      if (kinds[p] == wanted) {
        positions.add(p);
      }
    }
    return positions.isEmpty() ? 1 + r.nextInt(json.length - 1) : positions.get(r.nextInt(positions.size()));
  }

  /** {@code kinds[p]}: the kind of the prefix of length p; JSON without insignificant spaces. */
  static Kind[] classify(byte[] json) {
    Kind[] kinds = new Kind[json.length + 1];
    Deque<Character> containers = new ArrayDeque<>();
    boolean inString = false;
    boolean isKey = false;
    boolean expectKey = false;
    int escape = 0; // bytes of the current escape still to come: 1 after '\', 4 after "\\u"
    for (int p = 1; p <= json.length; p++) {
      byte b = json[p - 1];
      if (inString) {
        if (escape > 0) {
          escape = b == 'u' && escape == 1 ? 4 : escape - 1;
        } else if (b == '\\') {
          escape = 1;
        } else if (b == '"') {
          inString = false;
        }
        kinds[p] = inString ? stringKind(json, p, escape, isKey) : isKey ? Kind.AFTER_KEY : Kind.AFTER_VALUE;
        continue;
      }
      switch (b) {
        case '{', '[' -> {
          containers.push((char) b);
          expectKey = b == '{';
          kinds[p] = Kind.AFTER_OPEN;
        }
        case '}', ']' -> {
          containers.pop();
          kinds[p] = Kind.AFTER_VALUE;
        }
        case ',' -> {
          expectKey = !containers.isEmpty() && containers.peek() == '{';
          kinds[p] = Kind.AFTER_COMMA;
        }
        case ':' -> kinds[p] = Kind.AFTER_COLON;
        case '"' -> {
          inString = true;
          isKey = expectKey;
          expectKey = false;
          kinds[p] = isKey ? Kind.IN_KEY : Kind.IN_STRING;
        }
        default -> kinds[p] = scalarKind(json, p, b);
      }
    }
    return kinds;
  }

  private static Kind stringKind(byte[] json, int p, int escape, boolean isKey) {
    if (escape > 0) {
      return Kind.IN_ESCAPE;
    }
    if (p < json.length && (json[p] & 0xC0) == 0x80) { // next byte continues a UTF-8 sequence
      return Kind.MID_UTF8;
    }
    return isKey ? Kind.IN_KEY : Kind.IN_STRING;
  }

  private static Kind scalarKind(byte[] json, int p, byte b) {
    boolean letter = b >= 'a' && b <= 'z';
    boolean next = p < json.length && (letter ? isLetter(json[p]) : isNumberByte(json[p]));
    if (!next) {
      return Kind.AFTER_VALUE;
    }
    return letter ? Kind.IN_LITERAL : Kind.IN_NUMBER;
  }

  private static boolean isLetter(byte b) {
    return b >= 'a' && b <= 'z';
  }

  private static boolean isNumberByte(byte b) {
    return (b >= '0' && b <= '9') || b == '.' || b == 'e' || b == 'E' || b == '-' || b == '+';
  }
}

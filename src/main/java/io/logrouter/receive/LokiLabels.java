package io.logrouter.receive;

import io.logrouter.event.InvalidEventException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Loki stream's label set as protobuf pushes carry it, in Prometheus text form:
 * {@code {app="shop", level="info"}} (values escape {@code \" \\ \n \t}).
 */
final class LokiLabels {
  private LokiLabels() {}

  /** @return name, value, name, value, ... in the order sent */
  static List<String> parse(String text, int stream) throws InvalidEventException {
    List<String> pairs = new ArrayList<>(8);
    int n = text.length();
    int i = skipSpaces(text, 0);
    if (i == n || text.charAt(i) != '{') {
      throw bad(stream, text, "does not start with '{'");
    }
    i = skipSpaces(text, i + 1);
    if (i < n && text.charAt(i) == '}') {
      return end(text, i, pairs, stream);
    }
    while (true) {
      int nameStart = i;
      while (i < n && isNameChar(text.charAt(i))) {
        i++;
      }
      if (i == nameStart) {
        throw bad(stream, text, "expected a label name at character " + i);
      }
      String name = text.substring(nameStart, i);
      i = skipSpaces(text, i);
      if (i == n || text.charAt(i) != '=') {
        throw bad(stream, text, "expected '=' after label " + name);
      }
      i = skipSpaces(text, i + 1);
      if (i == n || text.charAt(i) != '"') {
        throw bad(stream, text, "expected a quoted value for label " + name);
      }
      StringBuilder value = new StringBuilder();
      i++;
      while (true) {
        if (i >= n) {
          throw bad(stream, text, "unterminated value of label " + name);
        }
        char c = text.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (i >= n) {
            throw bad(stream, text, "unterminated value of label " + name);
          }
          char e = text.charAt(i++);
          value.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> e;
          });
        } else {
          value.append(c);
        }
      }
      pairs.add(name);
      pairs.add(value.toString());
      i = skipSpaces(text, i);
      if (i < n && text.charAt(i) == ',') {
        i = skipSpaces(text, i + 1);
        continue;
      }
      if (i < n && text.charAt(i) == '}') {
        return end(text, i, pairs, stream);
      }
      throw bad(stream, text, "expected ',' or '}' at character " + i);
    }
  }

  private static List<String> end(String text, int closing, List<String> pairs, int stream)
      throws InvalidEventException {
    if (skipSpaces(text, closing + 1) != text.length()) {
      throw bad(stream, text, "unexpected text after '}'");
    }
    return pairs;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static InvalidEventException bad(int stream, String text, String why) {
    String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    return new InvalidEventException(-1, "labels", "stream " + stream + ": labels " + shown + " " + why);
  }
}

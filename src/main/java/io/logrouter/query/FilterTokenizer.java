package io.logrouter.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code q=} filter into brackets, quoted strings and bare words. Keywords and operators
 * are bare words: only the parser, knowing where it stands in the grammar, decides what a word
 * means, so a quoted {@code 'a AND (b)'} is always plain data.
 */
final class FilterTokenizer {
  enum Kind { OPEN, CLOSE, WORD, STRING, END }

  /** One token; {@code text} is the value (quotes removed, doubled quotes undone). */
  record Token(Kind kind, String text, int start) {}

  private final String input;
  private int pos;

  private FilterTokenizer(String input) {
    this.input = input;
  }

  /** @throws FilterSyntaxException on a string without its closing quote */
  static List<Token> tokenize(String input) {
    return new FilterTokenizer(input).all();
  }

  private List<Token> all() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
        pos++;
      }
      if (pos >= input.length()) {
        tokens.add(new Token(Kind.END, "", pos));
        return tokens;
      }
      tokens.add(token(input.charAt(pos)));
    }
  }

  private Token token(char c) {
    int start = pos;
    if (c == '(' || c == ')') {
      pos++;
      return new Token(c == '(' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), start);
    }
    if (c == '\'' || c == '"') {
      return quoted(c);
    }
    while (pos < input.length() && !endsWord(input.charAt(pos))) {
      pos++;
    }
    return new Token(Kind.WORD, input.substring(start, pos), start);
  }

  /** A string in {@code quote}s; the quote character itself is written twice inside it. */
  private Token quoted(char quote) {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (pos < input.length()) {
      char c = input.charAt(pos++);
      if (c != quote) {
        value.append(c);
      } else if (pos < input.length() && input.charAt(pos) == quote) {
        value.append(quote);
        pos++;
      } else {
        return new Token(Kind.STRING, value.toString(), start);
      }
    }
    throw new FilterSyntaxException(input.length(), "the closing " + quote + " of the string opened at character " + start);
  }

  private static boolean endsWord(char c) {
    return Character.isWhitespace(c) || c == '(' || c == ')' || c == '\'' || c == '"';
  }
}

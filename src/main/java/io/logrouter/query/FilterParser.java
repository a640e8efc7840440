package io.logrouter.query;

import io.logrouter.query.FilterTokenizer.Kind;
import io.logrouter.query.FilterTokenizer.Token;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser of the {@code q=} filter language of the systems the router replaces,
 * e.g. {@code ((email eq 'a@b.c') AND (createdAt gte '2018-1-1') AND (message ct 'buyer'))}.
 *
 * <pre>
 * filter     := or END
 * or         := and ( "OR" and )*
 * and        := primary ( "AND" primary )*           -- AND binds tighter than OR
 * primary    := "(" or ")" | comparison
 * comparison := field operator value
 * field      := word                                  -- timestamp, level, source, message, attribute path
 * operator   := "eq" | "ne" | "ct" | "gt" | "gte" | "lt" | "lte"
 * value      := 'single-quoted' | "double-quoted" | word
 * </pre>
 *
 * Keywords and operators are case-insensitive. The output is an SQL condition with placeholders;
 * see {@link FilterFields} for what each field and operator becomes.
 */
public final class FilterParser<T> {
  /**
   * Limits that keep one request from building a huge statement or a deep Java stack: the filters
   * of the replaced systems use a handful of comparisons and two levels of brackets.
   */
  static final int MAX_LENGTH = 4_096;
  static final int MAX_DEPTH = 32;
  static final int MAX_COMPARISONS = 64;

  private final FilterAlgebra<T> algebra;
  private final String input;
  private final List<Token> tokens;
  private int next;
  private int depth;
  private int comparisons;

  private FilterParser(FilterAlgebra<T> algebra, String input) {
    this.algebra = algebra;
    this.input = input;
    this.tokens = FilterTokenizer.tokenize(input);
  }

  /** Parses with no promoted attribute columns. */
  public static SqlFragment parse(String filter) {
    return parse(filter, Map.of());
  }

  /**
   * @param promoted attribute path → indexed generated column of {@code logs} (see docs/DBA.md)
   * @throws FilterSyntaxException when {@code filter} does not follow the grammar
   */
  static SqlFragment parse(String filter, Map<String, String> promoted) {
    return parse(filter, new FilterFields(promoted));
  }

  /**
   * Parses into what {@code algebra} builds of the comparisons and connectives: SQL for the
   * database, a Java predicate for the live tail. One grammar, one set of syntax errors.
   */
  static <T> T parse(String filter, FilterAlgebra<T> algebra) {
    if (filter.length() > MAX_LENGTH) {
      throw new FilterSyntaxException(MAX_LENGTH, "at most " + MAX_LENGTH + " characters");
    }
    FilterParser<T> parser = new FilterParser<>(algebra, filter);
    T condition = parser.or();
    Token end = parser.peek();
    if (end.kind() != Kind.END) {
      throw new FilterSyntaxException(end.start(), parser.nextWords());
    }
    return condition;
  }

  private T or() {
    T left = and();
    while (peekKeyword("OR")) {
      next++;
      left = algebra.or(left, and());
    }
    return left;
  }

  private T and() {
    T left = primary();
    while (peekKeyword("AND")) {
      next++;
      left = algebra.and(left, primary());
    }
    return left;
  }

  private T primary() {
    Token token = peek();
    if (token.kind() == Kind.OPEN) {
      if (++depth > MAX_DEPTH) {
        throw new FilterSyntaxException(token.start(), "at most " + MAX_DEPTH + " nested brackets");
      }
      next++;
      T inner = or();
      Token close = peek();
      if (close.kind() != Kind.CLOSE) {
        throw new FilterSyntaxException(close.start(), "')' closing the '(' at character " + token.start()
            + (close.kind() == Kind.END ? "" : ", or " + nextWords()));
      }
      next++;
      depth--;
      return inner;
    }
    if (token.kind() != Kind.WORD) {
      throw new FilterSyntaxException(token.start(), "'(' or a field name");
    }
    return comparison();
  }

  private T comparison() {
    if (++comparisons > MAX_COMPARISONS) {
      throw new FilterSyntaxException(peek().start(), "at most " + MAX_COMPARISONS + " comparisons");
    }
    Token field = tokens.get(next++);
    Token operator = peek();
    FilterFields.Op op = operator.kind() == Kind.WORD ? FilterFields.Op.parse(operator.text()) : null;
    if (op == null) {
      throw new FilterSyntaxException(operator.start(), "an operator (eq, ne, ct, gt, gte, lt, lte) after field '"
          + field.text() + "'");
    }
    next++;
    Token value = peek();
    if (value.kind() != Kind.STRING && value.kind() != Kind.WORD) {
      throw new FilterSyntaxException(value.start(), "a value ('quoted' or a bare word) after '" + operator.text() + "'");
    }
    next++;
    return algebra.compare(field, operator, op, value);
  }

  /** What may follow a complete comparison or bracket, for error messages. */
  private String nextWords() {
    return depth > 0 ? "AND, OR or ')'" : "AND, OR or the end of the filter";
  }

  private boolean peekKeyword(String keyword) {
    Token token = peek();
    return token.kind() == Kind.WORD && token.text().equalsIgnoreCase(keyword);
  }

  private Token peek() {
    return tokens.get(next);
  }

  @Override
  public String toString() {
    return "FilterParser[" + input + "]";
  }
}

package io.logrouter.query;

/**
 * A {@code q=} filter that does not follow the grammar, with the 0-based character position where
 * it broke and what the parser expected there, so the 400 can point at the mistake.
 */
public final class FilterSyntaxException extends IllegalArgumentException {
  private final int position;
  private final String expected;

  FilterSyntaxException(int position, String expected) {
    super("expected " + expected + " at character " + position);
    this.position = position;
    this.expected = expected;
  }

  public int position() {
    return position;
  }

  public String expected() {
    return expected;
  }
}

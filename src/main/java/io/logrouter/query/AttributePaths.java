package io.logrouter.query;

/**
 * Builds the JSON path of an attribute filter: {@code data.user.id} → {@code $."data"."user"."id"}.
 * Segments are checked (letters, digits, {@code _ - $}) and then quoted, so no segment can end the
 * quoting or add path syntax such as {@code [*]} or {@code **}. The path is bound as a parameter.
 */
final class AttributePaths {
  /** Length of a promoted (generated) attribute column, as in the docs/DBA.md recipe. */
  static final int PROMOTED_LENGTH = 255;
  /** Deep enough for any real payload; bounds the work on a hostile field name. */
  static final int MAX_SEGMENTS = 16;

  private AttributePaths() {}

  /** @param start position of the field in the filter, for errors */
  static String jsonPath(String field, int start) {
    StringBuilder path = new StringBuilder("$");
    int segmentStart = 0;
    int segments = 0;
    for (int i = 0; i <= field.length(); i++) {
      if (i < field.length() && field.charAt(i) != '.') {
        if (!segmentChar(field.charAt(i))) {
          throw new FilterSyntaxException(start + i, "a field name (letters, digits, _ - $ and . between names)");
        }
        continue;
      }
      if (i == segmentStart) {
        throw new FilterSyntaxException(start + i, "a name before and after every '.' of a field path");
      }
      if (++segments > MAX_SEGMENTS) {
        throw new FilterSyntaxException(start + i, "a field path of at most " + MAX_SEGMENTS + " names");
      }
      path.append(".\"").append(field, segmentStart, i).append('"');
      segmentStart = i + 1;
    }
    return path.toString();
  }

  private static boolean segmentChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$';
  }
}

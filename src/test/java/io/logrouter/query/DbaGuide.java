package io.logrouter.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The SQL recipes of docs/DBA.md, read from the document so the tests run what DBAs will copy. */
final class DbaGuide {
  private static final Path GUIDE = Path.of("docs", "DBA.md");

  private DbaGuide() {}

  /** Statements of the ```sql block after {@code <!-- recipe: name -->}, comments removed. */
  static List<String> recipe(String name) {
    String text;
    try {
      text = Files.readString(GUIDE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int marker = text.indexOf("<!-- recipe: " + name + " -->");
    if (marker < 0) {
      throw new AssertionError("docs/DBA.md has no recipe " + name);
    }
    int start = text.indexOf("```sql\n", marker) + "```sql\n".length();
    String block = text.substring(start, text.indexOf("```", start));
    StringBuilder sql = new StringBuilder();
    for (String line : block.split("\n")) {
      if (!line.trim().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String statement : sql.toString().split(";\\s*\n")) {
      if (!statement.isBlank()) {
        statements.add(statement.trim());
      }
    }
    return statements;
  }
}

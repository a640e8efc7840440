package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FilterParserTest {

  @Test
  void djangoExampleBecomesThreeBoundConditions() {
    SqlFragment f = FilterParser.parse("((email eq 'a@b.c') AND (createdAt gte '2018-1-1') AND (message ct 'buyer'))");
    assertEquals("((CONVERT(COALESCE(JSON_VALUE(attributes, ?), JSON_UNQUOTE(JSON_EXTRACT(attributes, ?))) USING utf8mb4)"
        + " COLLATE utf8mb4_unicode_520_ci = ?) AND (ts >= ?))"
        + " AND (message LIKE ? ESCAPE '!')", f.sql());
    assertEquals(List.of("$.\"email\"", "$.\"email\"", "a@b.c", LocalDateTime.of(2018, 1, 1, 0, 0), "%buyer%"),
        f.params());
  }

  @Test
  void andBindsTighterThanOr() {
    SqlFragment f = FilterParser.parse("level eq error OR level eq warn AND source eq api");
    assertEquals("(level = ?) OR ((level = ?) AND (source = ?))", f.sql());
    assertEquals(List.of("ERROR", "WARN", "api"), f.params());
  }

  @Test
  void bracketsOverridePrecedence() {
    SqlFragment f = FilterParser.parse("(level eq error OR level eq warn) AND source eq api");
    assertEquals("((level = ?) OR (level = ?)) AND (source = ?)", f.sql());
  }

  @Test
  void keywordsAndBracketsInsideQuotesArePlainData() {
    SqlFragment f = FilterParser.parse("message eq 'a AND (b) OR c' OR message eq \"it's\"");
    assertEquals(List.of("a AND (b) OR c", "it's"), f.params());
  }

  @Test
  void doubledQuoteIsTheQuoteCharacter() {
    assertEquals(List.of("it's"), FilterParser.parse("message eq 'it''s'").params());
    assertEquals(List.of("say \"hi\""), FilterParser.parse("message eq \"say \"\"hi\"\"\"").params());
  }

  @Test
  void keywordsAndOperatorsAreCaseInsensitive() {
    assertEquals("(level = ?) AND (source = ?)", FilterParser.parse("LEVEL EQ 'x' and Source Eq 'y'").sql());
  }

  @Test
  void containsEscapesLikeWildcardsAndTheEscapeCharacter() {
    assertEquals(List.of("%100!% of a!_b!!%"), FilterParser.parse("message ct '100% of a_b!'").params());
  }

  @Test
  void levelIsNormalizedAndWarningIsWarn() {
    assertEquals(List.of("WARN"), FilterParser.parse("level eq 'warning'").params());
  }

  @Test
  void levelOrderingUsesSeverity() {
    SqlFragment f = FilterParser.parse("level gte warn");
    assertEquals("level IN (?, ?, ?)", f.sql());
    assertEquals(List.of("WARN", "ERROR", "FATAL"), f.params());
    assertEquals("1 = 0", FilterParser.parse("level gt fatal").sql());
  }

  @Test
  void componentIsSourceAndTimestampIsTs() {
    assertEquals("source = ?", FilterParser.parse("component eq order").sql());
    assertEquals("ts < ?", FilterParser.parse("timestamp lt '2024-10-08T02:00:00+02:00'").sql());
    assertEquals(List.of(LocalDateTime.of(2024, 10, 8, 0, 0)),
        FilterParser.parse("timestamp lt '2024-10-08T02:00:00+02:00'").params());
  }

  @Test
  void dateEqualityMeansTheWholeUtcDay() {
    SqlFragment f = FilterParser.parse("createdAt eq '2018-1-31'");
    assertEquals("ts >= ? AND ts < ?", f.sql());
    assertEquals(List.of(LocalDateTime.of(2018, 1, 31, 0, 0), LocalDateTime.of(2018, 2, 1, 0, 0)), f.params());
  }

  @Test
  void dottedAttributePathIsQuotedPerSegmentAndBound() {
    SqlFragment f = FilterParser.parse("data.user.id eq 42");
    String path = "$.\"data\".\"user\".\"id\"";
    assertEquals(List.of(path, path, "42"), f.params()); // JSON_VALUE, then JSON_UNQUOTE for non-scalars
  }

  @Test
  void numericOrderingOnAttributesComparesNumbers() {
    SqlFragment f = FilterParser.parse("data.count gt 9");
    assertTrue(f.sql().startsWith("CAST(JSON_UNQUOTE(JSON_EXTRACT(attributes, ?)) AS DOUBLE) > ?"), f.sql());
    assertEquals(List.of("$.\"data\".\"count\"", 9.0), f.params());
  }

  @Test
  void promotedAttributeEqualityGoesThroughItsColumn() {
    SqlFragment f = FilterParser.parse("email eq 'a@b.c'", Map.of("email", "attr_email"));
    assertTrue(f.sql().startsWith("`attr_email` = LEFT(?, 255) AND "), f.sql());
    assertEquals(List.of("a@b.c", "$.\"email\"", "$.\"email\"", "a@b.c"), f.params());
  }

  @Test
  void errorsNameThePositionAndWhatWasExpected() {
    assertError("(level eq 'x'", 13, "')'");
    assertError("level xx 'x'", 6, "an operator");
    assertError("level eq", 8, "a value");
    assertError("level eq 'x' level eq 'y'", 13, "AND, OR or the end");
    assertError("message eq 'open", 16, "closing '");
    assertError("createdAt gte '2018-13-1'", 14, "a date");
    assertError("data..id eq 1", 5, "a name before and after every '.'");
    assertError("da;ta eq 1", 2, "a field name");
    assertError("", 0, "'(' or a field name");
    assertError("level eq 'x' AND", 16, "'(' or a field name");
    assertError("timestamp ct '2018'", 10, "a time has no 'ct'");
    assertError("level gte 'custom'", 10, "one of [TRACE");
  }

  @Test
  void deepNestingIsRefusedBeforeTheStackSuffers() {
    String deep = "(".repeat(10_000) + "level eq x" + ")".repeat(10_000);
    assertThrows(FilterSyntaxException.class, () -> FilterParser.parse(deep));
    String nested = "(".repeat(FilterParser.MAX_DEPTH + 1) + "level eq x" + ")".repeat(FilterParser.MAX_DEPTH + 1);
    assertError(nested, FilterParser.MAX_DEPTH, "nested brackets");
  }

  @Test
  void randomInputNeverFailsOtherwiseThanWithASyntaxErrorAndNeverLeaksIntoSql() {
    Random random = new Random(20261123L);
    String alphabet = "()'\" \t.;-_%!\\`$aAeqORNDctglsvm01239🚀";
    String[] words = {"(", ")", " AND ", " OR ", "level", "message", "email", "data.x", " eq ", " ct ", " gte ",
        "'v'", "\"w\"", "'x''y'", "2018-1-1", "; DROP TABLE logs; --", "`", "\\"};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder q = new StringBuilder();
      int parts = random.nextInt(12);
      for (int p = 0; p < parts; p++) {
        if (random.nextBoolean()) {
          q.append(words[random.nextInt(words.length)]);
        } else {
          q.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
      }
      try {
        SqlFragment f = FilterParser.parse(q.toString());
        assertEquals(count(f.sql(), '?'), f.params().size(), q::toString);
        assertOnlyOurVocabulary(f.sql(), q.toString());
      } catch (FilterSyntaxException e) {
        assertTrue(e.position() >= 0 && e.position() <= q.length(), q::toString);
      }
    }
  }

  /** Every word of the SQL is ours: input can only ever reach it through a parameter. */
  private static void assertOnlyOurVocabulary(String sql, String input) {
    String stripped = sql
        .replace("CONVERT(COALESCE(JSON_VALUE(attributes, ?), JSON_UNQUOTE(JSON_EXTRACT(attributes, ?))) USING utf8mb4)", "")
        .replace("JSON_UNQUOTE(JSON_EXTRACT(attributes, ?))", "")
        .replace("COLLATE utf8mb4_unicode_520_ci", "").replace("ESCAPE '!'", "")
        .replaceAll("\\b(ts|level|source|message|AND|OR|NOT|LIKE|IN|CAST|AS|DOUBLE|LEFT)\\b", "")
        .replaceAll("[?()<>=!, ]|<=>|1 = 0", "");
    assertFalse(stripped.matches(".*\\S.*") && !stripped.equals("10"), () -> "unexpected SQL text '" + stripped + "' for " + input);
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(ch -> ch == c).count();
  }

  private static void assertError(String q, int position, String expected) {
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> FilterParser.parse(q));
    assertEquals(position, e.position(), () -> q + " → " + e.getMessage());
    assertTrue(e.expected().contains(expected), () -> q + " → " + e.getMessage());
  }
}

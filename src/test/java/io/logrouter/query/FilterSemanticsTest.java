package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.TestDatabase;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Property test: random filters (seeded, so a failure replays) run on a real database return
 * exactly the rows a plain Java evaluation of the same filter picks. Catches precedence, bracket,
 * quoting, LIKE-escaping and NULL mistakes that example tests miss.
 */
class FilterSemanticsTest {
  private static final long SEED = 6L;
  private static final int ROWS = 200;
  private static final int FILTERS = 400;
  private static final String[] LEVELS = {"INFO", "WARN", "ERROR", "DEBUG"};
  private static final String[] SOURCES = {"api", "db", "Web", null};
  private static final String[] WORDS = {"Buyer", "order", "100%", "a_b", "it's", "AND", "(x)", "🚀", "🎉", "ok!", "\"q\""};
  private static final String[] EMAILS = {"a@b.c", "A@B.C", "x@y.z", null};

  record Row(long id, String level, String source, String message, String email, Integer n, String attributes) {
    /** The row as the live tail sees it before the flush: a queued event. */
    TailEvent queued() {
      return new TailEvent(new io.logrouter.event.LogEvent(0, id, id, level, source, message, attributes));
    }
  }

  /** A filter as text plus its meaning in Java. */
  record Filter(String q, Predicate<Row> test) {}

  @Test
  void randomFiltersSelectWhatAJavaEvaluationSelects() throws Exception {
    Random random = new Random(SEED);
    try (TestDatabase db = TestDatabase.create("query_semantics")) {
      List<Row> rows = insertRows(db, random);
      LogQueryService service = new LogQueryService(db.dataSource());
      for (int i = 0; i < FILTERS; i++) {
        Filter filter = or(random, 0);
        Set<Long> expected = new TreeSet<>();
        rows.stream().filter(filter.test()).forEach(r -> expected.add(r.id()));
        LogPage page = service.find(new LogQuery(null, null, null, null, null, service.parseFilter(filter.q()),
            LogQuery.MAX_LIMIT, null));
        Set<Long> actual = new TreeSet<>();
        page.rows().forEach(r -> actual.add(r.id()));
        assertEquals(expected, actual, "seed " + SEED + ", filter #" + i + ": " + filter.q());
        // The live tail evaluates the same text in Java, on events not stored yet: same selection.
        var tail = TailFilter.parse(filter.q());
        Set<Long> tailed = new TreeSet<>();
        rows.stream().filter(r -> tail.test(r.queued())).forEach(r -> tailed.add(r.id()));
        assertEquals(actual, tailed, "live tail, seed " + SEED + ", filter #" + i + ": " + filter.q());
      }
    }
  }

  private static List<Row> insertRows(TestDatabase db, Random random) throws Exception {
    List<Row> rows = new ArrayList<>();
    LocalDateTime t = LocalDateTime.of(2024, 10, 8, 0, 0);
    for (int i = 0; i < ROWS; i++) {
      String level = pick(random, LEVELS);
      String source = pick(random, SOURCES);
      String message = pick(random, WORDS) + " " + pick(random, WORDS);
      String email = pick(random, EMAILS);
      Integer n = random.nextInt(4) == 0 ? null : random.nextInt(20);
      StringBuilder attributes = new StringBuilder("{");
      if (email != null) {
        attributes.append("\"email\":\"").append(email).append('"');
      }
      if (n != null) {
        attributes.append(email != null ? "," : "").append("\"data\":{\"n\":").append(n).append('}');
      }
      long id = QueryServer.insert(db.dataSource(), t.plusSeconds(i), level, source, message, attributes.append('}').toString());
      rows.add(new Row(id, level, source, message, email, n, attributes.toString()));
    }
    return rows;
  }

  private static Filter or(Random random, int depth) {
    Filter left = and(random, depth);
    if (depth > 2 || random.nextInt(3) > 0) {
      return left;
    }
    Filter right = or(random, depth + 1);
    return new Filter(left.q() + " OR " + right.q(), left.test().or(right.test()));
  }

  private static Filter and(Random random, int depth) {
    Filter left = primary(random, depth);
    if (depth > 2 || random.nextInt(3) > 0) {
      return left;
    }
    Filter right = and(random, depth + 1);
    return new Filter(left.q() + " and " + right.q(), left.test().and(right.test()));
  }

  private static Filter primary(Random random, int depth) {
    if (depth < 3 && random.nextInt(4) == 0) {
      Filter inner = or(random, depth + 1);
      return new Filter("(" + inner.q() + ")", inner.test());
    }
    Filter c = comparison(random);
    return random.nextBoolean() ? new Filter("(" + c.q() + ")", c.test()) : c;
  }

  private static Filter comparison(Random random) {
    switch (random.nextInt(5)) {
      case 0 -> {
        String level = pick(random, LEVELS);
        return switch (random.nextInt(3)) {
          case 0 -> new Filter("level eq " + level.toLowerCase(Locale.ROOT), r -> r.level().equals(level));
          case 1 -> new Filter("level ne '" + level + "'", r -> !r.level().equals(level));
          default -> new Filter("level gte " + level, r -> severity(r.level()) >= severity(level));
        };
      }
      case 1 -> {
        String source = pick(random, new String[] {"api", "DB", "web", "b"});
        return textFilter(random, "source", source, Row::source);
      }
      case 2 -> {
        String word = pick(random, WORDS);
        return textFilter(random, random.nextBoolean() ? "message" : "MESSAGE", word, Row::message);
      }
      case 3 -> {
        String email = pick(random, new String[] {"a@b.c", "x@Y.z", "@"});
        return textFilter(random, "email", email, Row::email);
      }
      default -> {
        int n = random.nextInt(20);
        return random.nextBoolean()
            ? new Filter("data.n gt " + n, r -> r.n() != null && r.n() > n)
            : new Filter("data.n eq '" + n + "'", r -> r.n() != null && r.n() == n);
      }
    }
  }

  private static Filter textFilter(Random random, String field, String value, java.util.function.Function<Row, String> get) {
    String lower = value.toLowerCase(Locale.ROOT);
    String quoted = random.nextBoolean() ? "'" + value.replace("'", "''") + "'" : "\"" + value.replace("\"", "\"\"") + "\"";
    return switch (random.nextInt(3)) {
      case 0 -> new Filter(field + " eq " + quoted, r -> get.apply(r) != null && get.apply(r).equalsIgnoreCase(value));
      case 1 -> new Filter(field + " ne " + quoted, r -> get.apply(r) == null || !get.apply(r).equalsIgnoreCase(value));
      default -> new Filter(field + " ct " + quoted,
          r -> get.apply(r) != null && get.apply(r).toLowerCase(Locale.ROOT).contains(lower));
    };
  }

  private static int severity(String level) {
    return io.logrouter.event.LevelNames.rank(level);
  }

  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}

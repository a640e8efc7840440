package io.logrouter.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.logrouter.event.LogEvent;
import io.logrouter.query.FilterFields.Op;
import io.logrouter.query.FilterTokenizer.Token;
import java.text.Collator;
import java.text.Normalizer;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The {@code q=} language evaluated in Java, for the live tail: events there are not in the
 * database yet. Every field and operator of {@link FilterFields} is supported, with the same value
 * rules (shared helpers, same errors at the same positions) and the same NULL meaning: a missing
 * source or attribute matches only {@code ne}.
 *
 * <p>Text compares as the table's collation (utf8mb4_unicode_520_ci) does for the cases that
 * matter: case- and accent-insensitive ({@code eq}, {@code ne}, {@code ct} on lower-cased text
 * without accents; ordering with a primary-strength collator). Known differences: trailing spaces
 * are significant here (PAD SPACE in MySQL), and an attribute number compares by its JSON text as
 * Jackson reads it ({@code 1.50} stays {@code 1.50}; {@code 1e2} becomes {@code 1E+2}).
 */
final class TailFilter implements FilterAlgebra<Predicate<TailEvent>> {
  private static final ThreadLocal<Collator> COLLATOR = ThreadLocal.withInitial(() -> {
    Collator c = Collator.getInstance(Locale.ROOT);
    c.setStrength(Collator.PRIMARY);
    return c;
  });

  private static final java.util.regex.Pattern NUMBER_PREFIX =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private TailFilter() {}

  /** @throws FilterSyntaxException as {@link FilterParser#parse(String, java.util.Map)} would */
  static Predicate<TailEvent> parse(String q) {
    return FilterParser.parse(q, new TailFilter());
  }

  @Override
  public Predicate<TailEvent> and(Predicate<TailEvent> left, Predicate<TailEvent> right) {
    return left.and(right);
  }

  @Override
  public Predicate<TailEvent> or(Predicate<TailEvent> left, Predicate<TailEvent> right) {
    return left.or(right);
  }

  @Override
  public Predicate<TailEvent> compare(Token field, Token operator, Op op, Token value) {
    return switch (field.text().toLowerCase(Locale.ROOT)) {
      case "timestamp", "createdat" -> time(operator, op, value);
      case "level" -> level(operator, op, value);
      case "source", "component" -> text(op, value.text(), e -> e.event().source());
      case "message" -> text(op, value.text(), e -> e.event().message());
      default -> attribute(field, op, value);
    };
  }

  /** The same contains test as {@code contains=} / {@code ct}: case- and accent-insensitive. */
  static Predicate<TailEvent> contains(String value, java.util.function.Function<TailEvent, String> column) {
    String key = foldKey(value);
    return e -> {
      String text = column.apply(e);
      return text != null && foldKey(text).contains(key);
    };
  }

  /** Equality as the collation sees it (case and accents ignored); null never equals. */
  static boolean collatedEquals(String a, String b) {
    return a != null && b != null && foldKey(a).equals(foldKey(b));
  }

  private static Predicate<TailEvent> time(Token operator, Op op, Token value) {
    Timestamps.Parsed at = FilterFields.timeValue(operator, op, value);
    long from = micros(at.utc());
    if (at.dateOnly() && (op == Op.EQ || op == Op.NE)) {
      java.time.LocalDateTime end = FilterFields.dayEnd(at);
      long until = end == null ? Long.MAX_VALUE : micros(end);
      Predicate<TailEvent> inDay = e -> e.event().tsMicros() >= from && e.event().tsMicros() < until;
      return op == Op.EQ ? inDay : inDay.negate();
    }
    return e -> ordered(op, Long.compare(e.event().tsMicros(), from));
  }

  private static Predicate<TailEvent> level(Token operator, Op op, Token value) {
    if (op == Op.CT) {
      return contains(value.text(), e -> e.event().level());
    }
    String level = FilterFields.levelValue(value);
    if (!op.ordering()) {
      Predicate<TailEvent> equal = e -> e.event().level().equalsIgnoreCase(level);
      return op == Op.EQ ? equal : equal.negate();
    }
    List<String> levels = FilterFields.levelsBySeverity(operator, op, value, level);
    return e -> levels.contains(e.event().level());
  }

  private static Predicate<TailEvent> text(Op op, String value, java.util.function.Function<TailEvent, String> column) {
    return switch (op) {
      case CT -> contains(value, column);
      case EQ -> e -> collatedEquals(column.apply(e), value);
      case NE -> e -> !collatedEquals(column.apply(e), value); // NULL-safe, as NOT (col <=> ?)
      default -> e -> {
        String text = column.apply(e);
        return text != null && ordered(op, COLLATOR.get().compare(text, value));
      };
    };
  }

  private static Predicate<TailEvent> attribute(Token field, Op op, Token value) {
    AttributePaths.jsonPath(field.text(), field.start()); // the same checks (and errors) as the SQL side
    String[] path = field.text().split("\\.");
    java.util.function.Function<TailEvent, String> text = e -> attributeText(e.attribute(path));
    if (op.ordering() && FilterFields.isNumber(value.text())) {
      double number = FilterFields.finiteDouble(value);
      return e -> {
        String found = text.apply(e);
        return found != null && ordered(op, Double.compare(leadingNumber(found), number));
      };
    }
    return text(op, value.text(), text);
  }

  /** What SQL reads of an attribute: a scalar's text (string unquoted), JSON text otherwise, null when absent. */
  private static String attributeText(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBigDecimal()) {
      return node.decimalValue().toString();
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** CAST(text AS DOUBLE): the longest numeric prefix, 0 when there is none (as both servers do). */
  static double leadingNumber(String text) {
    java.util.regex.Matcher m = NUMBER_PREFIX.matcher(text.strip());
    return m.lookingAt() ? Double.parseDouble(m.group()) : 0;
  }

  private static boolean ordered(Op op, int comparison) {
    return switch (op) {
      case EQ -> comparison == 0;
      case NE -> comparison != 0;
      case GT -> comparison > 0;
      case GTE -> comparison >= 0;
      case LT -> comparison < 0;
      default -> comparison <= 0;
    };
  }

  /** Lower case without combining marks: 'É' and 'e' fold alike, as in a _ci, accent-insensitive collation. */
  static String foldKey(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    boolean ascii = true;
    for (int i = 0; i < lower.length() && ascii; i++) {
      ascii = lower.charAt(i) < 0x80;
    }
    if (ascii) {
      return lower;
    }
    return Normalizer.normalize(lower, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
  }

  private static long micros(java.time.LocalDateTime utc) {
    return utc.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + utc.getNano() / 1_000;
  }
}

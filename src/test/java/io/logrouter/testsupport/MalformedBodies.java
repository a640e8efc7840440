package io.logrouter.testsupport;

import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded generator of malformed or hostile HTTP ingest bodies, for the parser robustness test: a
 * plain {@link Random}, so any case is reproduced from its (seed, index) with {@link #caseAt}.
 *
 * <p>Every case says what the router may answer: {@link Expect#REJECT} cases are invalid under
 * DESIGN.md's ingest contract and must get a 4xx with nothing queued; {@link Expect#ACCEPT_OR_REJECT}
 * cases (random mutations, and hostile-but-valid JSON) may also get 202. Never a 5xx.
 */
public final class MalformedBodies {
  /** What the router may answer to a case (a 5xx is never acceptable). */
  public enum Expect {
    /** Invalid by contract: a 4xx, and nothing of the request queued. */
    REJECT,
    /** May be valid: a 202 (queued in full) or a 4xx (nothing queued). */
    ACCEPT_OR_REJECT
  }

  /** The kinds of hostile input; {@link #cases} emits each one at least once when count allows. */
  public enum Category {
    TRUNCATED("truncated", 100),
    WRONG_TYPE("wrong-type", 100),
    TOP_LEVEL_SCALAR("top-level", 100),
    /** Bodies of ~50 KB that parsers must stop early on: a fifth of the usual share is plenty. */
    DEEP_NESTING("deep-nesting", 20),
    HUGE_NUMBER("huge-number", 100),
    INVALID_UTF8("invalid-utf8", 100),
    LONE_SURROGATE("lone-surrogate", 100),
    NUL_BYTE("nul", 100),
    BAD_GZIP("bad-gzip", 100),
    /**
     * Each one makes the router inflate up to its limit (8 MB): at 1/1,421 of the cases, 100,000
     * cases cost ~70 of them, about 0.5 GB of inflating, which 2 cores do in seconds.
     */
    GZIP_BOMB("gzip-bomb", 1),
    EMPTY_BODY("empty", 100),
    NDJSON_BAD_LINE("ndjson-bad-line", 100),
    TIMESTAMP_OUT_OF_RANGE("timestamp-range", 100),
    UNKNOWN_ESCAPE("unknown-escape", 100),
    MUTATION("mutation", 100);

    private final String label;
    private final int weight;

    Category(String label, int weight) {
      this.label = label;
      this.weight = weight;
    }

    /** The label prefix of this category's cases, e.g. {@code mutation}. */
    public String label() {
      return label;
    }
  }

  /**
   * One request to send. {@code body} is not copied (100,000 cases): do not modify it.
   *
   * @param label short and stable, {@code category/detail}, e.g. {@code wrong-type/level=number}
   * @param contentEncoding {@code gzip} when the body is (or claims to be) gzip
   */
  public record Case(String label, Category category, Expect expect, byte[] body, String contentType,
      Optional<String> contentEncoding) {

    /** Whether a 4xx with nothing queued is the only right answer. */
    public boolean mustReject() {
      return expect == Expect.REJECT;
    }

    /** For failure messages: label, headers, size and the first bytes in hex. */
    @Override
    public String toString() {
      int preview = Math.min(body.length, 48); // enough to recognise a case, short enough to read
      return label + " [" + contentType + contentEncoding.map(e -> ", " + e).orElse("") + ", "
          + body.length + " bytes: " + HexFormat.of().formatHex(body, 0, preview)
          + (body.length > preview ? "..." : "") + "]";
    }
  }

  static final String JSON = "application/json";
  static final String NDJSON = "application/x-ndjson";

  private static final Category[] CATEGORIES = Category.values();
  private static final int TOTAL_WEIGHT = Stream.of(CATEGORIES).mapToInt(c -> c.weight).sum();

  private MalformedBodies() {}

  /**
   * {@code count} cases for {@code seed}: the first {@code Category.values().length} are one of each
   * category in declaration order, the rest are drawn by weight. Same seed, same cases.
   */
  public static Stream<Case> cases(long seed, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("negative count: " + count);
    }
    return LongStream.range(0, count).mapToObj(i -> caseAt(seed, i));
  }

  /** Case number {@code index} of {@code cases(seed, ...)}, on its own: reproduces one failure. */
  public static Case caseAt(long seed, long index) {
    Random random = new Random(mix(seed, index));
    Category category = index < CATEGORIES.length ? CATEGORIES[(int) index] : pick(random);
    return generate(category, random);
  }

  /** One case of a given category, from a caller's random source. */
  public static Case generate(Category category, Random random) {
    return switch (category) {
      case TRUNCATED -> MalformedBodiesJson.truncated(random);
      case WRONG_TYPE -> MalformedBodiesJson.wrongType(random);
      case TOP_LEVEL_SCALAR -> MalformedBodiesJson.topLevelScalar(random);
      case DEEP_NESTING -> MalformedBodiesJson.deepNesting(random);
      case HUGE_NUMBER -> MalformedBodiesJson.hugeNumber(random);
      case TIMESTAMP_OUT_OF_RANGE -> MalformedBodiesJson.timestampOutOfRange(random);
      case NDJSON_BAD_LINE -> MalformedBodiesJson.ndjsonBadLine(random);
      case MUTATION -> MalformedBodiesJson.mutation(random);
      case INVALID_UTF8 -> MalformedBodiesText.invalidUtf8(random);
      case LONE_SURROGATE -> MalformedBodiesText.loneSurrogate(random);
      case NUL_BYTE -> MalformedBodiesText.nulByte(random);
      case UNKNOWN_ESCAPE -> MalformedBodiesText.unknownEscape(random);
      case EMPTY_BODY -> MalformedBodiesGzip.empty(random);
      case BAD_GZIP -> MalformedBodiesGzip.badGzip(random);
      case GZIP_BOMB -> MalformedBodiesGzip.bomb(random);
    };
  }

  static Case reject(Category category, String detail, byte[] body, String contentType) {
    return new Case(category.label + "/" + detail, category, Expect.REJECT, body, contentType, Optional.empty());
  }

  static Case gzipped(Category category, String detail, Expect expect, byte[] body, String contentType) {
    return new Case(category.label + "/" + detail, category, expect, body, contentType, Optional.of("gzip"));
  }

  static <T> T oneOf(Random random, T[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static Category pick(Random random) {
    int ticket = random.nextInt(TOTAL_WEIGHT);
    for (Category c : CATEGORIES) {
      ticket -= c.weight;
      if (ticket < 0) {
        return c;
      }
    }
    throw new AssertionError("weights sum to TOTAL_WEIGHT");
  }

  /**
   * SplitMix64 finaliser of (seed, index): neighbouring indexes get unrelated {@link Random} seeds,
   * which java.util.Random's own weak seed scrambling would not give them.
   */
  private static long mix(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L; // the golden-ratio increment of SplitMix64
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

package io.logrouter.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.logrouter.testsupport.MalformedBodies.Case;
import io.logrouter.testsupport.MalformedBodies.Category;
import io.logrouter.testsupport.MalformedBodies.Expect;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The generator is reproducible, covers every category, and its REJECT claims hold. */
final class MalformedBodiesTest {
  private static final long SEED = 20240501L;
  /** Enough cases for every sub-kind of every category to turn up (about 140 per category). */
  private static final int MANY = 2_000;
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  @Test
  void sameSeedSameCasesAndIndexesReproduceAlone() {
    List<Case> first = MalformedBodies.cases(SEED, MANY).toList();
    List<Case> second = MalformedBodies.cases(SEED, MANY).toList();
    for (int i = 0; i < MANY; i++) {
      assertSame(first.get(i), second.get(i));
    }
    assertSame(first.get(777), MalformedBodies.caseAt(SEED, 777));
    List<Case> other = MalformedBodies.cases(SEED + 1, MANY).toList();
    assertNotEquals(labels(first), labels(other), "another seed gives other cases");
  }

  @Test
  void firstCasesCoverEveryCategoryAndLabelsCarryTheCategory() {
    Set<Category> seen = MalformedBodies.cases(SEED, Category.values().length)
        .map(Case::category).collect(Collectors.toCollection(() -> EnumSet.noneOf(Category.class)));
    assertEquals(EnumSet.allOf(Category.class), seen);
    MalformedBodies.cases(SEED, MANY).forEach(c -> {
      assertTrue(c.label().startsWith(c.category().label() + "/"), c.toString());
      boolean mayPass = c.category() == Category.MUTATION || c.label().startsWith("nul/escaped");
      assertEquals(mayPass ? Expect.ACCEPT_OR_REJECT : Expect.REJECT, c.expect(), c.toString());
    });
  }

  @Test
  void truncationsHitEveryKindOfPositionAndNeverParse() {
    Random r = new Random(SEED);
    Set<String> kinds = new java.util.HashSet<>();
    for (int i = 0; i < 500; i++) { // 11 kinds drawn uniformly: 500 draws miss one with p < 1e-19
      Case c = MalformedBodies.generate(Category.TRUNCATED, r);
      kinds.add(c.label().substring("truncated/".length()));
      assertFalse(parses(c.body()), c.toString());
    }
    Set<String> all = java.util.Arrays.stream(MalformedBodiesCut.Kind.values())
        .map(MalformedBodiesCut.Kind::label).collect(Collectors.toSet());
    assertEquals(all, kinds);
  }

  @Test
  void syntaxCasesAreInvalidForAStrictParser() {
    Set<Category> syntax = EnumSet.of(Category.TRUNCATED, Category.UNKNOWN_ESCAPE, Category.EMPTY_BODY);
    MalformedBodies.cases(SEED, MANY)
        .filter(c -> syntax.contains(c.category()) || c.label().startsWith("nul/raw"))
        .forEach(c -> assertFalse(parses(plain(c)), c.toString()));
  }

  @Test
  void invalidUtf8CasesAreNotUtf8() {
    MalformedBodies.cases(SEED, MANY).filter(c -> c.category() == Category.INVALID_UTF8)
        .forEach(c -> assertFalse(isUtf8(c.body()), c.toString()));
  }

  @Test
  void topLevelCasesAreNeitherAnObjectNorAnArrayOfObjects() {
    MalformedBodies.cases(SEED, MANY).filter(c -> c.category() == Category.TOP_LEVEL_SCALAR).forEach(c -> {
      JsonNode node = tree(c.body());
      boolean objects = node.isObject() || (node.isArray() && !node.isEmpty()
          && java.util.stream.StreamSupport.stream(node.spliterator(), false).allMatch(JsonNode::isObject));
      assertFalse(objects, c.toString());
    });
  }

  @Test
  void badGzipNeverInflatesToJsonAndBombsInflatePastEightMegabytes() throws IOException {
    Random r = new Random(SEED);
    for (int i = 0; i < 200; i++) { // 8 sub-kinds, 200 draws: each one many times
      Case c = MalformedBodies.generate(Category.BAD_GZIP, r);
      assertEquals("gzip", c.contentEncoding().orElseThrow());
      assertFalse(inflatesToJson(c.body()), c.toString());
    }
    for (int i = 0; i < 4; i++) {
      Case bomb = MalformedBodies.generate(Category.GZIP_BOMB, r);
      assertTrue(bomb.body().length < 100_000, "a bomb is small on the wire: " + bomb);
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bomb.body()))) {
        assertTrue(in.transferTo(java.io.OutputStream.nullOutputStream()) > 8L * 1024 * 1024, bomb.toString());
      }
    }
  }

  @Test
  void deepNestingIsTenThousandLevels() {
    Random r = new Random(SEED);
    for (int i = 0; i < 20; i++) {
      Case c = MalformedBodies.generate(Category.DEEP_NESTING, r);
      long opens = new String(c.body(), StandardCharsets.UTF_8).chars().filter(ch -> ch == '[' || ch == '{').count();
      assertTrue(opens >= MalformedBodiesJson.DEEP, c.toString());
    }
  }

  @Test
  void ndjsonCasesHaveGoodLinesAroundOneBadLine() {
    MalformedBodies.cases(SEED, MANY).filter(c -> c.category() == Category.NDJSON_BAD_LINE).forEach(c -> {
      assertEquals(MalformedBodies.NDJSON, c.contentType());
      String[] lines = new String(plain(c), StandardCharsets.UTF_8).split("\n");
      // the bad line may be a well-formed object with a wrong type, so only the good ones are counted
      long objects = java.util.Arrays.stream(lines).filter(MalformedBodiesTest::isObject).count();
      assertTrue(lines.length >= 3 && objects >= lines.length - 1, c.toString());
    });
  }

  private static void assertSame(Case a, Case b) {
    assertEquals(a.label(), b.label());
    assertEquals(a.category(), b.category());
    assertEquals(a.expect(), b.expect());
    assertEquals(a.contentType(), b.contentType());
    assertEquals(a.contentEncoding(), b.contentEncoding());
    assertArrayEquals(a.body(), b.body(), a.label());
  }

  private static List<String> labels(List<Case> cases) {
    return cases.stream().map(Case::label).toList();
  }

  /** Strict parse: one complete JSON value, well-formed, nesting within Jackson's default limit. */
  private static boolean parses(byte[] body) {
    try {
      tree(body);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isObject(String line) {
    try {
      return tree(line.getBytes(StandardCharsets.UTF_8)).isObject();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonNode tree(byte[] body) {
    try (JsonParser p = STRICT.getFactory().createParser(body)) {
      JsonNode node = STRICT.readTree(p);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("no JSON value");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static byte[] plain(Case c) {
    if (c.contentEncoding().isEmpty()) {
      return c.body();
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(c.body()))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("not gzip: " + c, e);
    }
  }

  private static boolean inflatesToJson(byte[] gz) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return parses(in.readAllBytes());
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}

package io.logrouter.testsupport;

import io.logrouter.testsupport.MalformedBodies.Case;
import io.logrouter.testsupport.MalformedBodies.Category;
import io.logrouter.testsupport.MalformedBodies.Expect;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Bad bytes and bad escapes inside JSON strings: invalid UTF-8, lone surrogates, NUL, \q. */
final class MalformedBodiesText {
  /** Stands for the bad bytes in a rendered event until they are spliced in. */
  private static final String HOLE = "@@HOLE@@";
  /** Where in an event the bad bytes go: each field is decoded by a different code path. */
  private static final String[] PLACES = {"message", "source", "attribute", "key", "nested"};

  /** Named invalid UTF-8 sequences (RFC 3629 forbids every one). */
  private static final Object[][] INVALID_UTF8 = {
    {"lone-continuation", new byte[] {(byte) 0x80}}, {"byte-ff", new byte[] {(byte) 0xFF}},
    {"byte-fe", new byte[] {(byte) 0xFE}}, {"overlong-slash", new byte[] {(byte) 0xC0, (byte) 0xAF}},
    {"overlong-3byte", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}},
    {"overlong-nul", new byte[] {(byte) 0xC0, (byte) 0x80}},
    {"cut-2byte", new byte[] {(byte) 0xC3}}, {"cut-3byte", new byte[] {(byte) 0xE2, (byte) 0x82}},
    {"cut-4byte", new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}},
    {"utf8-surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}},
    {"above-10ffff", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}},
    {"start-f5", new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}},
    {"latin1-e9", new byte[] {(byte) 0xE9, 't', (byte) 0xE9}}
  };
  /**
   * Escaped lone surrogates: legal JSON grammar, but no Unicode text, and utf8mb4 cannot store
   * them; the byte-exact round trip promise leaves refusing as the only honest answer.
   */
  private static final String[] LONE_SURROGATES = {
    "\\ud800", "\\udfff", "\\ud800x", "\\udc00\\ud800", "\\ud800\\u0041", "\\ud83d", "\\ude80 tail"
  };
  private static final String[] UNKNOWN_ESCAPES = {
    "\\x41", "\\q", "\\U0041", "\\u12G4", "\\u12", "\\'", "\\a", "\\0", "\\v", "\\e", "\\\u00e9"
  };

  private MalformedBodiesText() {}

  static Case invalidUtf8(Random r) {
    Object[] bad = MalformedBodies.oneOf(r, INVALID_UTF8);
    String place = MalformedBodies.oneOf(r, PLACES);
    return MalformedBodies.reject(Category.INVALID_UTF8, bad[0] + "@" + place, withHole(r, place, (byte[]) bad[1]),
        MalformedBodies.JSON);
  }

  static Case loneSurrogate(Random r) {
    String escape = MalformedBodies.oneOf(r, LONE_SURROGATES);
    String place = MalformedBodies.oneOf(r, PLACES);
    String label = escape.replace("\\", "").replace(' ', '_') + "@" + place;
    return MalformedBodies.reject(Category.LONE_SURROGATE, label, withHole(r, place, ascii(escape)), MalformedBodies.JSON);
  }

  /**
   * Raw NUL bytes are never valid JSON (a control character in a string, or a stray byte between
   * tokens). An escaped {@code \u0000} is valid JSON and storable, so the router may accept it.
   */
  static Case nulByte(Random r) {
    String place = MalformedBodies.oneOf(r, PLACES);
    return switch (r.nextInt(5)) {
      case 0 -> MalformedBodies.reject(Category.NUL_BYTE, "raw-in-string@" + place, withHole(r, place, new byte[] {0}),
          MalformedBodies.JSON);
      case 1 -> MalformedBodies.reject(Category.NUL_BYTE, "raw-leading", MalformedBodiesJson.splice(event(r), 0, 0, new byte[] {0}),
          MalformedBodies.JSON);
      case 2 -> MalformedBodies.reject(Category.NUL_BYTE, "raw-trailing", append(event(r), new byte[] {0}), MalformedBodies.JSON);
      case 3 -> MalformedBodies.reject(Category.NUL_BYTE, "raw-between-tokens", MalformedBodiesJson.utf8("{\"message\":\"x\",\0\"a\":1}"),
          MalformedBodies.JSON);
      default -> new Case("nul/escaped@" + place, Category.NUL_BYTE, Expect.ACCEPT_OR_REJECT,
          withHole(r, place, ascii("a\\u0000b")), MalformedBodies.JSON, Optional.empty());
    };
  }

  static Case unknownEscape(Random r) {
    String escape = MalformedBodies.oneOf(r, UNKNOWN_ESCAPES);
    String place = MalformedBodies.oneOf(r, PLACES);
    return MalformedBodies.reject(Category.UNKNOWN_ESCAPE, escape.replace("\\", "") + "@" + place,
        withHole(r, place, escape.getBytes(StandardCharsets.UTF_8)), MalformedBodies.JSON);
  }

  /** A valid event (alone or among good ones) with {@code bad} spliced into one string. */
  private static byte[] withHole(Random r, String place, byte[] bad) {
    Map<String, String> e = MalformedBodiesJson.event(r);
    switch (place) {
      case "message" -> e.put("message", "\"before " + HOLE + " after\"");
      case "source" -> e.put("source", "\"svc" + HOLE + "\"");
      case "attribute" -> e.put("note", "\"" + HOLE + "\"");
      case "key" -> e.put("k" + HOLE, "1");
      default -> e.put("ctx", "{\"list\":[\"ok\",{\"deep\":\"" + HOLE + "\"}]}");
    }
    byte[] body = MalformedBodiesJson.amongGood(r, e);
    int at = indexOf(body, ascii(HOLE));
    return MalformedBodiesJson.splice(body, at, HOLE.length(), bad);
  }

  private static byte[] event(Random r) {
    return MalformedBodiesJson.utf8(MalformedBodiesJson.render(MalformedBodiesJson.event(r)));
  }

  private static byte[] append(byte[] a, byte[] b) {
    return MalformedBodiesJson.splice(a, a.length, 0, b);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("hole not found");
  }
}

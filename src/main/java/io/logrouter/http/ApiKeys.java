package io.logrouter.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Base64;
import java.util.Locale;

/**
 * An immutable set of API keys with their scopes, held as SHA-256 digests only. Matching hashes the
 * presented key into a per-thread buffer and compares it with every configured digest using
 * {@link MessageDigest#isEqual} (constant time, and fixed length, so neither a key's content nor
 * its length leaks through timing). No allocation, no lock: it runs on the ingest IO threads.
 *
 * <p>Syntax of one entry: {@code KEY} or {@code KEY:SCOPE}, SCOPE one of {@code ingest},
 * {@code query}, {@code admin}, {@code all}, or several joined by {@code +}. A bare KEY means
 * {@code ingest+query}: apps get what they need, admin routes take an explicit grant.
 */
final class ApiKeys {
  static final int INGEST = 1;
  static final int QUERY = 2;
  static final int ADMIN = 4;
  static final int ALL = INGEST | QUERY | ADMIN;
  /** Shorter keys could be guessed by brute force over the network: 16 random characters is ~95 bits. */
  static final int MIN_KEY_CHARS = 16;
  /** Longer presented keys are refused before hashing; it also bounds the per-thread buffer. */
  static final int MAX_KEY_CHARS = 256;
  private static final int DIGEST_BYTES = 32;
  private static final String BEARER = "Bearer ";
  /** Schemes carrying base64 of "name:key" (Elasticsearch API keys, HTTP Basic). */
  private static final String[] COLON_SCHEMES = {"ApiKey ", "Basic "};

  static final ApiKeys NONE = new ApiKeys(new byte[0][], new int[0]);

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final byte[][] digests;
  private final int[] scopes;
  /** Stable identities for the rate limiter: equal for the same key across reloads. */
  private final Object[] ids;

  /** What each thread reuses to hash a presented key. */
  private static final class Scratch {
    final MessageDigest sha256 = sha256();
    final byte[] text = new byte[MAX_KEY_CHARS];
    final byte[] digest = new byte[DIGEST_BYTES];
  }

  private ApiKeys(byte[][] digests, int[] scopes) {
    this.digests = digests;
    this.scopes = scopes;
    this.ids = new Object[digests.length];
    for (int i = 0; i < digests.length; i++) {
      ids[i] = ByteBuffer.wrap(digests[i]).asReadOnlyBuffer();
    }
  }

  /**
   * Parses entries separated by commas or line breaks; {@code #} starts a comment line.
   *
   * @param origin named in error messages ("auth.api.keys", the file's path)
   * @throws IllegalArgumentException naming the entry's position, never the key itself
   */
  static ApiKeys parse(String text, String origin) {
    List<byte[]> digests = new ArrayList<>();
    List<Integer> scopes = new ArrayList<>();
    int position = 0;
    for (String line : text.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      for (String entry : line.split(",")) {
        String e = entry.strip();
        if (e.isEmpty()) {
          continue;
        }
        position++;
        int colon = e.lastIndexOf(':');
        String key = colon < 0 ? e : e.substring(0, colon);
        int scope = colon < 0 ? INGEST | QUERY : parseScope(e.substring(colon + 1), origin, position);
        checkKey(key, origin, position);
        digests.add(sha256().digest(key.getBytes(StandardCharsets.US_ASCII)));
        scopes.add(scope);
      }
    }
    return new ApiKeys(digests.toArray(new byte[0][]), scopes.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Both sets; a key present in both keeps the union of its scopes (harmless duplicates). */
  ApiKeys plus(ApiKeys other) {
    byte[][] d = new byte[digests.length + other.digests.length][];
    int[] s = new int[d.length];
    System.arraycopy(digests, 0, d, 0, digests.length);
    System.arraycopy(other.digests, 0, d, digests.length, other.digests.length);
    System.arraycopy(scopes, 0, s, 0, scopes.length);
    System.arraycopy(other.scopes, 0, s, scopes.length, other.scopes.length);
    return new ApiKeys(d, s);
  }

  int size() {
    return digests.length;
  }

  int scopes(int index) {
    return scopes[index];
  }

  Object id(int index) {
    return ids[index];
  }

  /**
   * @param authorization the Authorization header, or null: {@code Bearer <key>}; or, for the
   *     Elasticsearch clients (Beats, Logstash, Fluent Bit, Vector), {@code ApiKey base64(id:key)} or
   *     {@code Basic base64(user:key)}, where the part after the first colon is the key (id and user
   *     are not checked: the key alone names the client)
   * @param apiKey the X-API-Key header, or null
   * @return the index of the matching key, -1 for a wrong key, -2 when no key was presented
   */
  int match(String authorization, String apiKey) {
    if (apiKey != null) {
      return match(apiKey, 0);
    }
    if (authorization == null) {
      return -2;
    }
    if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return match(authorization, BEARER.length());
    }
    for (String scheme : COLON_SCHEMES) {
      if (authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return matchAfterColon(authorization.substring(scheme.length()).strip());
      }
    }
    return -2;
  }

  private int matchAfterColon(String base64) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return -1;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? -1 : match(decoded, colon + 1);
  }

  /** Hashes {@code text} from {@code start} and compares with every digest, without early exit. */
  private int match(String text, int start) {
    int length = text.length() - start;
    if (length <= 0 || length > MAX_KEY_CHARS) {
      return -1;
    }
    Scratch s = SCRATCH.get();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(start + i);
      if (c > 0x7e) {
        return -1; // configured keys are ASCII, so this cannot match any of them
      }
      s.text[i] = (byte) c;
    }
    s.sha256.update(s.text, 0, length);
    try {
      s.sha256.digest(s.digest, 0, DIGEST_BYTES);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e); // the buffer is exactly the digest length
    }
    int found = -1;
    for (int i = 0; i < digests.length; i++) {
      if (MessageDigest.isEqual(digests[i], s.digest) && found < 0) {
        found = i;
      }
    }
    return found;
  }

  private static int parseScope(String text, String origin, int position) {
    int scope = 0;
    for (String part : text.split("\\+")) {
      scope |= switch (part.strip().toLowerCase(Locale.ROOT)) {
        case "ingest" -> INGEST;
        case "query" -> QUERY;
        case "admin" -> ADMIN;
        case "all" -> ALL;
        default -> throw new IllegalArgumentException(origin + ": key #" + position + " has unknown scope '" + part
            + "' (use ingest, query, admin, all or several joined by +)");
      };
    }
    return scope;
  }

  private static void checkKey(String key, String origin, int position) {
    if (key.length() < MIN_KEY_CHARS || key.length() > MAX_KEY_CHARS) {
      throw new IllegalArgumentException(origin + ": key #" + position + " must be " + MIN_KEY_CHARS + " to "
          + MAX_KEY_CHARS + " characters (generate one with: openssl rand -hex 24)");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      // Printable ASCII without space, comma or colon: those separate entries and scopes.
      if (c <= 0x20 || c > 0x7e || c == ',' || c == ':') {
        throw new IllegalArgumentException(origin + ": key #" + position
            + " may only hold printable ASCII without spaces, commas or colons");
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }
}

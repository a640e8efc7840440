package io.logrouter.testsupport;

import io.logrouter.testsupport.MalformedBodies.Case;
import io.logrouter.testsupport.MalformedBodies.Category;
import io.logrouter.testsupport.MalformedBodies.Expect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Empty bodies, broken gzip and gzip bombs. */
final class MalformedBodiesGzip {
  /**
   * Inflated size of a bomb: twice the 8 MB body limit the router is specified with, so a limit
   * applied to the inflated stream must trip whatever rounding it uses.
   */
  static final int BOMB_INFLATED_BYTES = 16 * 1024 * 1024;
  /** gzip trailer: CRC-32 then ISIZE, 4 bytes each (RFC 1952). */
  private static final int TRAILER = 8;
  /** gzip header without optional fields (RFC 1952). */
  private static final int HEADER = 10;

  private MalformedBodiesGzip() {}

  static Case empty(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> MalformedBodies.reject(Category.EMPTY_BODY, "zero-bytes-json", new byte[0], MalformedBodies.JSON);
      case 1 -> MalformedBodies.reject(Category.EMPTY_BODY, "zero-bytes-ndjson", new byte[0], MalformedBodies.NDJSON);
      case 2 -> MalformedBodies.reject(Category.EMPTY_BODY, "whitespace-json", MalformedBodiesJson.utf8(" \n\t\r "), MalformedBodies.JSON);
      case 3 -> MalformedBodies.reject(Category.EMPTY_BODY, "blank-lines-ndjson", MalformedBodiesJson.utf8("\n\n \n"), MalformedBodies.NDJSON);
      default -> MalformedBodies.gzipped(Category.EMPTY_BODY, "gzip-of-nothing", Expect.REJECT, gzip(new byte[0]), MalformedBodies.JSON);
    };
  }

  /** Every way a gzip body can be broken; each one must fail to inflate or fail to parse. */
  static Case badGzip(Random r) {
    Case valid = MalformedBodiesJson.valid(r, "base");
    byte[] good = gzip(valid.body());
    String type = valid.contentType();
    return switch (r.nextInt(8)) {
      case 0 -> bad("truncated", Arrays.copyOf(good, 1 + r.nextInt(good.length - 1)), type);
      case 1 -> bad("crc", flip(good, good.length - TRAILER + r.nextInt(4), r), type);
      case 2 -> bad("isize", flip(good, good.length - 4 + r.nextInt(4), r), type);
      case 3 -> bad("deflate-data", corruptDeflate(good, r), type);
      case 4 -> bad("magic", flip(good, r.nextInt(2), r), type);
      case 5 -> bad("not-gzip", valid.body(), type);
      case 6 -> bad("gzip-of-gzip", gzip(good), type);
      default -> bad("gzip-of-garbage", gzip(garbage(r)), type);
    };
  }

  /** A small body that inflates to {@link #BOMB_INFLATED_BYTES}: valid JSON, or zeros. */
  static Case bomb(Random r) {
    return r.nextBoolean()
        ? MalformedBodies.gzipped(Category.GZIP_BOMB, "json-16MiB", Expect.REJECT, Bombs.JSON.clone(), MalformedBodies.JSON)
        : MalformedBodies.gzipped(Category.GZIP_BOMB, "zeros-16MiB", Expect.REJECT, Bombs.ZEROS.clone(), MalformedBodies.JSON);
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return out.toByteArray();
  }

  private static Case bad(String detail, byte[] body, String type) {
    return MalformedBodies.gzipped(Category.BAD_GZIP, detail, Expect.REJECT, body, type);
  }

  /**
   * One bit flipped in the compressed data. A flip in the padding after the final block changes
   * nothing, so the copy is checked and the flip retried until inflating really fails.
   */
  private static byte[] corruptDeflate(byte[] good, Random r) {
    while (true) { // terminates: almost every bit of the data matters, padding is < 8 bits
      byte[] bad = flip(good, HEADER + r.nextInt(good.length - HEADER - TRAILER), r);
      if (!inflates(bad)) {
        return bad;
      }
    }
  }

  private static boolean inflates(byte[] gz) {
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      in.readAllBytes(); // bodies here are a few hundred bytes inflated
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A copy with one bit of {@code body[at]} flipped. */
  private static byte[] flip(byte[] body, int at, Random r) {
    byte[] copy = body.clone();
    copy[at] ^= (byte) (1 << r.nextInt(8));
    return copy;
  }

  /** Random bytes that start with a byte no JSON text starts with (0x80-0xFF), so never valid. */
  private static byte[] garbage(Random r) {
    byte[] bytes = new byte[16 + r.nextInt(256)]; // 16 to 271 bytes: a few deflate blocks' worth
    r.nextBytes(bytes);
    bytes[0] = (byte) (0x80 | bytes[0]);
    return bytes;
  }

  /** Built once, on first use: compressing 16 MiB twice is ~0.2 s, not worth per case. */
  private static final class Bombs {
    static final byte[] JSON = compress("{\"message\":\"".getBytes(), (byte) 'a', "\"}".getBytes());
    static final byte[] ZEROS = compress(new byte[0], (byte) 0, new byte[0]);

    /** gzip of head + filler repeated up to the bomb size + tail, streamed: no 16 MiB array. */
    private static byte[] compress(byte[] head, byte filler, byte[] tail) {
      byte[] block = new byte[64 * 1024]; // 64 KiB writes: the deflater's natural window multiple
      Arrays.fill(block, filler);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(head);
        for (int left = BOMB_INFLATED_BYTES - head.length - tail.length; left > 0; left -= block.length) {
          gz.write(block, 0, Math.min(left, block.length));
        }
        gz.write(tail);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }
}

package io.logrouter.http;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedInputStream;

/**
 * Content-Encoding rules of the ingest routes, and bounded decoding: every encoding is undone in
 * steps and refused (413) as soon as the output passes http.max.body.bytes, so a small compressed
 * body cannot make the router allocate gigabytes (no decompression bomb).
 *
 * <p>What shippers send: Fluent Bit's http output {@code compress gzip|snappy|zstd}; Vector's http
 * sink {@code compression: gzip|zlib|zstd|snappy} — Vector's snappy is the raw block format (one
 * {@code snap::raw::Encoder} call over the whole body, src/sinks/util/snappy.rs), not the framing
 * format; the framing format (stream identifier {@code ff 06 00 00 sNaPpY}) is recognized too.
 * {@code deflate} is zlib-wrapped per RFC 9110, but some clients send raw deflate: both are read.
 */
final class BodyDecoding {
  /** Inflation reads in 64 KB steps: large enough for few syscalls-equivalents, small for memory. */
  private static final int INFLATE_STEP = 64 * 1024;
  /** The snappy framing format's stream identifier chunk. */
  private static final byte[] SNAPPY_FRAMED_MAGIC = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};

  private BodyDecoding() {}

  /** Thrown when a body cannot be decoded: the status says why (400 bad data, 413 too large). */
  static final class DecodeException extends Exception {
    final int status;

    DecodeException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The Content-Encodings a body may arrive in. */
  enum Encoding {
    IDENTITY("identity"), GZIP("gzip"), DEFLATE("deflate"), ZSTD("zstd"), SNAPPY("snappy");

    final String token;

    Encoding(String token) {
      this.token = token;
    }
  }

  /** @return the body's encoding; throws for one the router does not read (415) */
  static Encoding encodingOf(String contentEncoding) throws DecodeException {
    if (contentEncoding == null || contentEncoding.isBlank()) {
      return Encoding.IDENTITY;
    }
    return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
      case "gzip", "x-gzip" -> Encoding.GZIP;
      case "deflate", "zlib" -> Encoding.DEFLATE;
      case "zstd" -> Encoding.ZSTD;
      case "snappy", "x-snappy-framed" -> Encoding.SNAPPY;
      case "identity" -> Encoding.IDENTITY;
      default -> throw new DecodeException(415, "unsupported Content-Encoding '" + contentEncoding
          + "': send gzip, deflate, zstd, snappy or none");
    };
  }

  /** Undoes {@code encoding}, refusing (413) as soon as the output passes {@code maxBytes}. */
  static byte[] decode(Encoding encoding, byte[] body, int length, long maxBytes) throws DecodeException {
    try {
      return switch (encoding) {
        case GZIP -> gunzip(body, length, maxBytes);
        case DEFLATE -> inflate(body, length, maxBytes);
        case ZSTD -> unzstd(body, length, maxBytes);
        case SNAPPY -> unsnappy(body, length, maxBytes);
        case IDENTITY -> Arrays.copyOf(body, length);
      };
    } catch (RuntimeException e) { // a native decoder's own error type: still the sender's bad bytes, never a 500
      throw invalid(encoding, e);
    }
  }

  /** Inflates a gzip body, refusing (413) as soon as the output passes {@code maxBytes}: no gzip bomb. */
  static byte[] gunzip(byte[] body, int bodyLength, long maxBytes) throws DecodeException {
    try {
      return readBounded(new GZIPInputStream(new ByteArrayInputStream(body, 0, bodyLength), INFLATE_STEP), bodyLength,
          maxBytes, Encoding.GZIP);
    } catch (IOException e) {
      throw invalid(Encoding.GZIP, e);
    }
  }

  /** zlib-wrapped deflate (RFC 1950, what RFC 9110 names "deflate"), or raw deflate (RFC 1951) when no zlib header. */
  static byte[] inflate(byte[] body, int bodyLength, long maxBytes) throws DecodeException {
    boolean zlib = bodyLength >= 2 && (body[0] & 0x0f) == 8 && (((body[0] & 0xff) << 8) | (body[1] & 0xff)) % 31 == 0;
    Inflater inflater = new Inflater(!zlib);
    try {
      return readBounded(new InflaterInputStream(new ByteArrayInputStream(body, 0, bodyLength), inflater, INFLATE_STEP),
          bodyLength, maxBytes, Encoding.DEFLATE);
    } catch (IOException e) {
      throw invalid(Encoding.DEFLATE, e);
    } finally {
      inflater.end();
    }
  }

  static byte[] unzstd(byte[] body, int bodyLength, long maxBytes) throws DecodeException {
    try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(body, 0, bodyLength))) {
      // The frame names the window it needs, up to 2 GB: a window larger than the largest body
      // allowed is never needed, so refuse it rather than let the decoder allocate it.
      in.setLongMax(windowLogFor(maxBytes));
      return readBounded(in, bodyLength, maxBytes, Encoding.ZSTD);
    } catch (ZstdIOException e) {
      if (e.getErrorCode() == Zstd.errFrameParameterWindowTooLarge()) {
        throw tooLarge(maxBytes, Encoding.ZSTD); // its window alone is larger than the largest body allowed
      }
      throw invalid(Encoding.ZSTD, e);
    } catch (IOException e) {
      throw invalid(Encoding.ZSTD, e);
    }
  }

  /** Raw snappy (its header holds the decoded length: checked before anything is allocated) or framed snappy. */
  static byte[] unsnappy(byte[] body, int bodyLength, long maxBytes) throws DecodeException {
    try {
      if (bodyLength >= SNAPPY_FRAMED_MAGIC.length
          && Arrays.equals(body, 0, SNAPPY_FRAMED_MAGIC.length, SNAPPY_FRAMED_MAGIC, 0, SNAPPY_FRAMED_MAGIC.length)) {
        return readBounded(new SnappyFramedInputStream(new ByteArrayInputStream(body, 0, bodyLength)), bodyLength,
            maxBytes, Encoding.SNAPPY);
      }
      int length = Snappy.uncompressedLength(body, 0, bodyLength);
      if (length < 0 || length > maxBytes) {
        throw tooLarge(maxBytes, Encoding.SNAPPY);
      }
      if (!Snappy.isValidCompressedBuffer(body, 0, bodyLength)) {
        throw new DecodeException(400, "body is not valid snappy (raw block or framing format)");
      }
      byte[] out = new byte[length];
      int n = Snappy.uncompress(body, 0, bodyLength, out, 0);
      return n == length ? out : Arrays.copyOf(out, n);
    } catch (IOException e) {
      throw invalid(Encoding.SNAPPY, e);
    }
  }

  /** log2 of the smallest power of two at least {@code maxBytes}, within zstd's 10..27 (27 = its decoder default). */
  static int windowLogFor(long maxBytes) {
    int log = 64 - Long.numberOfLeadingZeros(Math.max(1, maxBytes - 1));
    return Math.max(10, Math.min(27, log));
  }

  /** Reads {@code in} to its end into one array, refusing (413) as soon as the output passes {@code maxBytes}. */
  private static byte[] readBounded(InputStream in, int bodyLength, long maxBytes, Encoding encoding)
      throws IOException, DecodeException {
    byte[] out = new byte[(int) Math.min(maxBytes + 1, Math.max(INFLATE_STEP, bodyLength * 4L))];
    int length = 0;
    try (in) {
      while (true) {
        if (length == out.length) {
          if (length > maxBytes) {
            throw tooLarge(maxBytes, encoding);
          }
          out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1, (long) out.length * 2));
        }
        int n = in.read(out, length, out.length - length);
        if (n < 0) {
          break;
        }
        length += n;
        if (length > maxBytes) {
          throw tooLarge(maxBytes, encoding);
        }
      }
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  private static DecodeException invalid(Encoding encoding, Exception e) {
    return new DecodeException(400, "body is not valid " + encoding.token + ": " + e.getMessage());
  }

  private static DecodeException tooLarge(long maxBytes, Encoding encoding) {
    return new DecodeException(413, "body is over " + maxBytes + " bytes once " + encoding.token + "-decoded");
  }
}

package io.logrouter.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Content-Encoding rules of the ingest routes, and bounded decoding (no decompression bomb). */
final class BodyDecoding {
  /** Inflation reads in 64 KB steps: large enough for few syscalls-equivalents, small for memory. */
  private static final int INFLATE_STEP = 64 * 1024;

  private BodyDecoding() {}

  /** Thrown when a body cannot be decoded: the status says why (400 bad gzip, 413 too large). */
  static final class DecodeException extends Exception {
    final int status;

    DecodeException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The Content-Encodings a body may arrive in. */
  enum Encoding { IDENTITY, GZIP }

  /** @return the body's encoding; throws for one the router does not read (415) */
  static Encoding encodingOf(String contentEncoding) throws DecodeException {
    if (contentEncoding == null || contentEncoding.isBlank()) {
      return Encoding.IDENTITY;
    }
    return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
      case "gzip", "x-gzip" -> Encoding.GZIP;
      case "identity" -> Encoding.IDENTITY;
      default -> throw new DecodeException(415, "unsupported Content-Encoding '" + contentEncoding + "': send gzip or none");
    };
  }

  /** Undoes {@code encoding}, refusing (413) as soon as the output passes {@code maxBytes}. */
  static byte[] decode(Encoding encoding, byte[] body, int length, long maxBytes) throws DecodeException {
    return switch (encoding) {
      case GZIP -> gunzip(body, length, maxBytes);
      case IDENTITY -> java.util.Arrays.copyOf(body, length);
    };
  }

  /** Inflates a gzip body, refusing (413) as soon as the output passes {@code maxBytes}: no gzip bomb. */
  static byte[] gunzip(byte[] body, int bodyLength, long maxBytes) throws DecodeException {
    byte[] out = new byte[(int) Math.min(maxBytes + 1, Math.max(INFLATE_STEP, bodyLength * 4L))];
    int length = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body, 0, bodyLength), INFLATE_STEP)) {
      while (true) {
        if (length == out.length) {
          if (length > maxBytes) {
            throw tooLarge(maxBytes);
          }
          out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1, (long) out.length * 2));
        }
        int n = in.read(out, length, out.length - length);
        if (n < 0) {
          break;
        }
        length += n;
        if (length > maxBytes) {
          throw tooLarge(maxBytes);
        }
      }
    } catch (IOException e) {
      throw new DecodeException(400, "body is not valid gzip: " + e.getMessage());
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  private static DecodeException tooLarge(long maxBytes) {
    return new DecodeException(413, "body is over " + maxBytes + " bytes once gzip-decoded");
  }
}

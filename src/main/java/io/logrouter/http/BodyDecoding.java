package io.logrouter.http;

import io.logrouter.event.BodyFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Content-Type and Content-Encoding rules of the ingest routes, and bounded gzip decoding. */
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

  /**
   * @return the body format for a Content-Type, or null when unsupported (415). No header means
   *     JSON: clients of the systems this router replaces do not all send one.
   */
  static BodyFormat formatOf(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return BodyFormat.JSON;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    if (semicolon >= 0) {
      type = type.substring(0, semicolon);
    }
    type = type.trim();
    return switch (type) {
      // curl -d sends form-urlencoded by default; its users mean JSON, so it is read as JSON.
      case "application/json", "text/json", "text/plain", "application/x-www-form-urlencoded" -> BodyFormat.JSON;
      case "application/x-ndjson", "application/ndjson", "application/jsonlines", "application/x-jsonlines",
          "application/jsonl" -> BodyFormat.NDJSON;
      default -> type.startsWith("application/") && type.endsWith("+json") ? BodyFormat.JSON : null;
    };
  }

  /** @return true for gzip, false for none; throws for anything else (415) */
  static boolean isGzip(String contentEncoding) throws DecodeException {
    if (contentEncoding == null || contentEncoding.isBlank()) {
      return false;
    }
    String enc = contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (enc.equals("gzip") || enc.equals("x-gzip")) {
      return true;
    }
    if (enc.equals("identity")) {
      return false;
    }
    throw new DecodeException(415, "unsupported Content-Encoding '" + contentEncoding + "': send gzip or none");
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

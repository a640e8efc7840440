package io.logrouter.client.send;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One request's worth of events: gzip NDJSON and the Idempotency-Key every attempt of it carries
 * (retries, failover to another router, replay from a spill file), so the router can land it once.
 */
public record Batch(String idempotencyKey, byte[] gzipBody, int events) {

  /** Gzips {@code ndjson[0..length)} ({@code events} lines, each with its newline) under a fresh key. */
  public static Batch of(byte[] ndjson, int length, int events) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(8192, length / 8));
    try (GZIPOutputStream gz = new FastGzip(bytes)) {
      gz.write(ndjson, 0, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return new Batch(UUID.randomUUID().toString(), bytes.toByteArray(), events);
  }

  /** gzip at the fastest level: the sender's CPU is the application's CPU. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(ByteArrayOutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}

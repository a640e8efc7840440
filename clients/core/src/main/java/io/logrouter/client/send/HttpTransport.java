package io.logrouter.client.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One synchronous POST per attempt over HttpURLConnection: no thread of its own (the sender's
 * thread does the I/O, so one request is in flight at a time) and keep-alive connection reuse.
 * Every I/O error is an {@link Outcome.Kind#RETRY}: the router may or may not have the batch, and
 * the Idempotency-Key makes sending it again safe.
 */
public final class HttpTransport {
  /** Bytes of an error body quoted in a warning: enough for the router's JSON error. */
  private static final int MAX_DETAIL = 512;
  private final int connectTimeoutMs;
  private final String authorization;

  public HttpTransport(int connectTimeoutMs, String apiKey) {
    this.connectTimeoutMs = connectTimeoutMs;
    this.authorization = apiKey.isEmpty() ? null : "Bearer " + apiKey;
  }

  public Outcome post(URI url, Batch batch, int readTimeoutMs) {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) url.toURL().openConnection();
      c.setConnectTimeout(connectTimeoutMs);
      c.setReadTimeout(Math.max(1, readTimeoutMs));
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setUseCaches(false);
      c.setFixedLengthStreamingMode(batch.gzipBody().length);
      c.setRequestProperty("Content-Type", "application/x-ndjson");
      c.setRequestProperty("Content-Encoding", "gzip");
      c.setRequestProperty("Idempotency-Key", batch.idempotencyKey());
      if (authorization != null) {
        c.setRequestProperty("Authorization", authorization);
      }
      try (OutputStream out = c.getOutputStream()) {
        out.write(batch.gzipBody());
      }
      int status = c.getResponseCode();
      String body = drain(status >= 400 ? c.getErrorStream() : c.getInputStream());
      return Outcome.ofStatus(status, retryAfterMs(c.getHeaderField("Retry-After")), body);
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.disconnect(); // a half-used connection must not go back to the keep-alive pool
      }
      return Outcome.ioError(e);
    }
  }

  /** Reads the whole body (so the connection can be reused) and keeps its start for warnings. */
  private static String drain(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      byte[] head = in.readNBytes(MAX_DETAIL);
      in.transferTo(OutputStream.nullOutputStream());
      return new String(head, StandardCharsets.UTF_8);
    }
  }

  /** Retry-After as delay-seconds or an HTTP date; -1 when absent or unreadable. */
  static long retryAfterMs(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String h = header.trim();
    try {
      return Math.max(0, Long.parseLong(h) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (DateTimeParseException e) {
        return -1;
      }
    }
  }
}

package io.logrouter.testsupport;

import io.logrouter.LogRouter;
import io.logrouter.config.RouterConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A real router in this JVM: real HTTP socket on a free port, real Chronicle queue in a temp dir,
 * real database schema. Tests talk to it only over HTTP and SQL.
 */
public final class RouterHarness implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final LogRouter router;
  private final String base;

  private RouterHarness(LogRouter router) {
    this.router = router;
    this.base = "http://127.0.0.1:" + router.port();
  }

  /** Starts a router on {@code db} with queue dir {@code queueDir} and the given extra config. */
  public static RouterHarness start(TestDatabase db, Path queueDir, Map<String, String> config) {
    Map<String, String> all = new HashMap<>();
    all.put("http.host", "127.0.0.1");
    all.put("http.port", "0");
    all.put("db.url", db.jdbcUrl());
    all.put("db.user", db.user());
    all.put("db.password", db.password());
    all.put("queue.dir", queueDir.toString());
    all.put("router.id", "test-router");
    all.put("flush.interval", "1h");
    all.put("disk.min.free.bytes", "1MB");
    all.putAll(config);
    return new RouterHarness(LogRouter.start(RouterConfig.of(all)));
  }

  public LogRouter router() {
    return router;
  }

  public String url(String path) {
    return base + path;
  }

  /** A plain JSON POST. */
  public Response post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), "application/json", null);
  }

  public Response post(String path, byte[] body, String contentType, String contentEncoding) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (contentEncoding != null) {
      b.header("Content-Encoding", contentEncoding);
    }
    return send(b.build());
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET().build());
  }

  /** POST /admin/flush and check it answered 200. @return rows flushed */
  public long flush() {
    Response r = post("/admin/flush", new byte[0], null, null);
    if (r.status() != 200) {
      throw new AssertionError("admin flush answered " + r.status() + ": " + r.body());
    }
    return Long.parseLong(r.body().replaceAll("\\D", ""));
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public record Response(int status, String body, String retryAfter) {}

  @Override
  public void close() {
    router.close();
  }
}

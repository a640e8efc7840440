package io.logrouter.testsupport;

import io.logrouter.LogRouter;
import io.logrouter.config.RouterConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A real router in this JVM: real HTTP socket on a free port, real Chronicle queue in a temp dir,
 * real database schema. Tests talk to it only over HTTP and SQL.
 */
public final class RouterHarness implements AutoCloseable {
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
    all.put("jvm.warmup.requests", "0"); // seconds per start, hundreds of starts; StartupWarmupTest runs it
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
    return of(TestHttp.post(url(path), body, contentType, contentEncoding));
  }

  public Response get(String path) {
    return of(TestHttp.get(url(path)));
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

  private static Response of(TestHttp.Response r) {
    return new Response(r.statusCode(), r.body(), r.header("Retry-After").orElse(null));
  }

  public record Response(int status, String body, String retryAfter) {}

  @Override
  public void close() {
    router.close();
  }
}

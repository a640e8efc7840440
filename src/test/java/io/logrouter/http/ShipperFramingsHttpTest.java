package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterHarness.Response;
import io.logrouter.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * Fluent Bit's http output and Vector's http sink as they send (bodies as their docs and sources
 * show; neither binary installs here), in every Content-Encoding they offer, into MySQL rows.
 */
class ShipperFramingsHttpTest {
  @TempDir
  static Path queueDir;
  static TestDatabase db;
  static RouterHarness router;

  /** Fluent Bit docs, "Output Formats": json_stream records, no separator; default json_date_key "date". */
  static final String FLUENT_BIT_STREAM = "{\"date\":1398282091.000,\"log\":\"Core: initialization and 32 bit fixes.\","
      + "\"commit\":\"b327996bfcbc0f1f47e62c862c6f303592dfacea\",\"author\":\"Eduardo Silva\"}"
      + "{\"date\":1422350608.000,\"log\":\"Initial import.\",\"commit\":\"49269c5ec3c74411943e362cfef85052665ae97f\","
      + "\"author\":\"Eduardo Silva\"}";
  /** Vector http sink, codec json, newline_delimited framing: Vector's log event fields. */
  static final String VECTOR_LINES = "{\"host\":\"web-1\",\"message\":\"GET / 200\",\"source_type\":\"file\","
      + "\"timestamp\":\"2024-05-01T10:00:00.123456Z\"}\n{\"host\":\"web-1\",\"message\":\"GET /x 404\","
      + "\"source_type\":\"file\",\"timestamp\":\"2024-05-01T10:00:01Z\"}\n";

  @BeforeAll
  static void start() {
    db = TestDatabase.create("shipper_framings");
    router = RouterHarness.start(db, queueDir, Map.of("http.max.body.bytes", "1MB"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  @BeforeEach
  void emptyTable() {
    router.flush();
    db.execute("DELETE FROM logs");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fluentBitFormatsLandWithTheirDateAsTime() {
    String jsonLines = FLUENT_BIT_STREAM.replace("}{", "}\n{") + "\n";
    String jsonArray = "[" + FLUENT_BIT_STREAM.replace("}{", "},{") + "]";
    for (String body : new String[] {FLUENT_BIT_STREAM, jsonLines, jsonArray}) {
      // Fluent Bit labels json, json_lines and json_stream all application/json (plugins/out_http/http.c).
      Response r = router.post("/log", utf8(body), "application/json", null);
      assertEquals("{\"accepted\":2}", r.body(), body);
    }
    router.flush();
    assertEquals(6, db.queryLong("SELECT COUNT(*) FROM logs"));
    assertEquals(3, db.queryLong("SELECT COUNT(*) FROM logs WHERE ts='2015-01-27 09:23:28' AND level='INFO'"
        + " AND JSON_UNQUOTE(JSON_EXTRACT(attributes,'$.log'))='Initial import.'"
        + " AND JSON_EXTRACT(attributes,'$.date') IS NULL"));
  }

  @Test
  void everyContentEncodingOfFluentBitAndVectorIsRead() throws IOException {
    byte[] plain = utf8(VECTOR_LINES);
    Map<String, byte[]> bodies = Map.of(
        "gzip", RouterHarness.gzip(plain),
        "deflate", deflate(plain, false),
        "deflate ", deflate(plain, true), // raw deflate, no zlib header (some clients)
        "zstd", Zstd.compress(plain),
        "snappy", Snappy.compress(plain), // Vector: snap::raw::Encoder, the block format
        "snappy ", framedSnappy(plain));
    for (Map.Entry<String, byte[]> e : bodies.entrySet()) {
      Response r = router.post("/log", e.getValue(), "application/x-ndjson", e.getKey().trim());
      assertEquals("{\"accepted\":2}", r.body(), e.getKey());
    }
    router.flush();
    assertEquals(12, db.queryLong("SELECT COUNT(*) FROM logs"));
    assertEquals(6, db.queryLong("SELECT COUNT(*) FROM logs WHERE message='GET / 200' AND ts='2024-05-01 10:00:00.123456'"
        + " AND JSON_UNQUOTE(JSON_EXTRACT(attributes,'$.host'))='web-1'"));
  }

  @Test
  void bombsAndGarbageInEveryEncodingAreRefusedAndNothingIsQueued() throws IOException {
    long backlog = router.router().gate().backlogEvents();
    byte[] huge = utf8("[" + "{\"message\":\"aaaaaaaaaaaaaaaa\"},".repeat(100_000) + "{}]"); // 3 MB > 1 MB limit
    Map<String, byte[]> bombs = Map.of("gzip", RouterHarness.gzip(huge), "deflate", deflate(huge, false),
        "zstd", Zstd.compress(huge), "snappy", Snappy.compress(huge), "x-snappy-framed", framedSnappy(huge));
    for (Map.Entry<String, byte[]> e : bombs.entrySet()) {
      assertTrue(e.getValue().length < 1_000_000, e.getKey());
      Response r = router.post("/log", e.getValue(), "application/json", e.getKey());
      assertEquals(413, r.status(), e.getKey() + ": " + r.body());
      assertTrue(r.body().contains("once " + (e.getKey().startsWith("x-") ? "snappy" : e.getKey()) + "-decoded"), r.body());
    }
    byte[] garbage = utf8("this is not compressed at all, not even a little");
    byte[] small = utf8(VECTOR_LINES.repeat(20));
    Map<String, byte[]> valid = Map.of("gzip", RouterHarness.gzip(small), "deflate", deflate(small, false),
        "zstd", Zstd.compress(small), "snappy", Snappy.compress(small));
    for (String encoding : new String[] {"gzip", "deflate", "zstd", "snappy"}) {
      Response r = router.post("/log", garbage, "application/json", encoding);
      assertEquals(400, r.status(), encoding + ": " + r.body());
      assertTrue(r.body().startsWith("{\"error\":\"body is not valid " + encoding), r.body());
      byte[] cut = java.util.Arrays.copyOf(valid.get(encoding), valid.get(encoding).length / 2);
      assertEquals(400, router.post("/log", cut, "application/json", encoding).status(), encoding + " cut short");
    }
    assertEquals(415, router.post("/log", utf8("{}"), "application/json", "br").status());
    assertEquals(backlog, router.router().gate().backlogEvents(), "nothing of a refused request is queued");
    assertEquals(0, router.flush());
    assertEquals(202, router.post("/log", "{\"message\":\"still fine\"}").status());
  }

  @Test
  void zstdWindowIsBoundedByTheBodyLimit() {
    assertEquals(20, BodyDecoding.windowLogFor(1L << 20));
    assertEquals(21, BodyDecoding.windowLogFor((1L << 20) + 1));
    assertEquals(27, BodyDecoding.windowLogFor(1L << 40));
    assertEquals(10, BodyDecoding.windowLogFor(5));
  }

  static byte[] deflate(byte[] data, boolean raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] framedSnappy(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SnappyFramedOutputStream s = new SnappyFramedOutputStream(out)) {
      s.write(data);
    }
    return out.toByteArray();
  }
}

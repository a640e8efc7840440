package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies from hostile clients (issue 15): memory is taken as bytes arrive, never from the
 * declared Content-Length, and bounded for all bodies together; a trickled body is cut off by the
 * rate floor; a chunked body over the limit is a 413 the client can read.
 */
class HostileBodiesHttpTest {
  private static final long BUDGET = 256 * 1024;
  private static final Pattern INFLIGHT = Pattern.compile("(?m)^logrouter_http_inflight_body_bytes (\\S+)$");

  @TempDir
  static Path dir;
  static TestDatabase db;
  static RouterHarness router;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("hostile_bodies");
    router = RouterHarness.start(db, dir, Map.of("http.max.body.bytes", "8MB",
        "http.max.inflight.body.bytes", BUDGET + "B",
        "http.request.body.min.rate", "1KB", "http.request.body.min.rate.grace", "1s",
        "http.request.body.timeout", "60s"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  @Test
  void aDeclaredLengthReservesNothingAndTheBudgetRefusesNewBodiesWith503() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      // 40 clients declare 8 MB each (320 MB, 1,250 x the budget) and send one byte: they hold
      // what they sent, not what they declared, so ingest stays open.
      for (int i = 0; i < 40; i++) {
        held.add(openBody("Content-Length: 8388608\r\n", "["));
      }
      double inflight = inflightBytes();
      assertTrue(inflight <= 40 * 64, "40 one-byte bodies hold " + inflight + " bytes");
      assertEquals(202, router.post("/log", "{\"message\":\"still open\"}").status());

      // Bodies that really send their bytes fill most of the budget; then a new body is a 503 +
      // Retry-After. Each is sent and held before the next starts (bodies growing at the same moment can
      // each fail to grow and all be refused), and each is sized so its buffer fits beside the others
      // whatever the read sizes: a buffer doubles, so a 100 KB body may take 128 KB, and two of those
      // plus any byte still held by the one-byte bodies overran the 256 KB budget (CI kept 128 KB).
      byte[] part = new byte[60 * 1024];
      java.util.Arrays.fill(part, (byte) ' ');
      for (int i = 0; i < 3; i++) {
        double before = inflightBytes();
        Socket s = openBody("Content-Length: 4000000\r\n", "[");
        s.getOutputStream().write(part);
        s.getOutputStream().flush();
        held.add(s);
        // Half of it is enough to know the body is held: the one-byte bodies above may be cut off by the
        // rate floor meanwhile and give their bytes back.
        awaitInflightAtLeast((long) before + part.length / 2);
      }
      // A body larger than what is left of the budget: refused as it outgrows it, nothing queued.
      String big = "{\"message\":\"" + "x".repeat(2 * part.length) + "\"}";
      assertTrue(inflightBytes() + big.length() > BUDGET, "the held bodies leave less than the next body needs");
      TestHttp.Response refused = TestHttp.postJson(router.url("/log"), big);
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.header("Retry-After").isPresent(), "503 carries Retry-After");
      assertTrue(refused.body().contains("http.max.inflight.body.bytes"), refused.body());
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    // Closed bodies give their memory back: ingest works again.
    long deadline = System.nanoTime() + 30_000_000_000L;
    int status = 0;
    while (System.nanoTime() < deadline && (status = router.post("/log", "{\"message\":\"again\"}").status()) != 202) {
      Thread.sleep(100);
    }
    assertEquals(202, status, "the budget is released once the held bodies are gone");
  }

  @Test
  void aBodyTrickledBelowTheRateFloorIsCutOffAfterTheGrace() throws Exception {
    long queuedBefore = router.router().gate().backlogEvents();
    try (Socket s = openBody("Content-Length: 1000\r\n", "[")) {
      s.setSoTimeout(100);
      long start = System.nanoTime();
      boolean closed = false;
      // One byte every 100 ms (10 B/s, far below 1 KB/s); the body timeout (60 s) is not what ends it.
      while (!closed && System.nanoTime() - start < 15_000_000_000L) {
        try {
          s.getOutputStream().write(' ');
          closed = s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
          // still receiving
        } catch (java.net.SocketException reset) {
          closed = true;
        }
      }
      assertTrue(closed, "a body at 10 B/s was not cut off within 15 s");
    }
    assertEquals(queuedBefore, router.router().gate().backlogEvents(), "nothing of it queued");
  }

  @Test
  void aChunkedBodyOverTheLimitIsA413TheClientCanReadAndOneWarnLineWithoutStackTrace() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    try (TestDatabase smallDb = TestDatabase.create("hostile_chunked");
        RouterHarness small = RouterHarness.start(smallDb, dir.resolve("chunked"), Map.of("http.max.body.bytes", "64KB"))) {
      root.addAppender(logged);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", small.router().port()), 5_000);
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        for (int i = 0; i < 8; i++) { // 128 KB: twice the limit
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = readHead(s.getInputStream());
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
      }
      assertEquals(202, small.post("/log", "{\"message\":\"after\"}").status());
      root.detachAppender(logged);
      List<String> warnings = logged.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
          .filter(e -> !e.getLoggerName().endsWith("Housekeeping")) // the start-up "no API keys" warning
          .map(e -> e.getLevel() + " " + e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " + stack trace"))
          .toList();
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).startsWith("WARN 413 on /log") && !warnings.get(0).endsWith("stack trace"), warnings.toString());
    } finally {
      root.detachAppender(logged);
    }
  }

  /** A POST /log whose headers and first body bytes are sent; the rest never comes. */
  private static Socket openBody(String lengthHeader, String firstBytes) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", router.router().port()), 5_000);
    s.getOutputStream().write(("POST /log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + lengthHeader
        + "\r\n" + firstBytes).getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  private static void awaitInflightAtLeast(long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (inflightBytes() < bytes) {
      assertTrue(System.nanoTime() < deadline, "in-flight bytes never reached " + bytes + ": " + inflightBytes());
      Thread.sleep(50);
    }
  }

  private static double inflightBytes() {
    String metrics = router.get("/metrics").body();
    Matcher m = INFLIGHT.matcher(metrics);
    assertTrue(m.find(), "the in-flight body gauge is exported");
    return Double.parseDouble(m.group(1));
  }

  /** The status line and headers of the answer. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }
}

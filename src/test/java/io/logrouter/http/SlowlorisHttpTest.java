package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients cannot starve the router: many connections that trickle their headers do not stop
 * a normal request, and the request-parse timeout closes them; a body that trickles on past the
 * body timeout is cut off too, with nothing of it queued.
 */
class SlowlorisHttpTest {
  /** Well above the IO thread count (one per core): a thread-per-connection server would be stuck. */
  private static final int SLOW_CONNECTIONS = 200;

  @TempDir
  static Path dir;
  static TestDatabase db;
  static RouterHarness router;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("slowloris");
    router = RouterHarness.start(db, dir, Map.of("http.io.threads", "2", "http.request.parse.timeout", "2s",
        "http.request.body.timeout", "1s"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  @Test
  void manyConnectionsTricklingHeadersStillLetANormalRequestThroughAndAreCutOff() throws IOException {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_CONNECTIONS; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", router.router().port()), 5_000);
        s.getOutputStream().write(("POST /log HTTP/1.1\r\nHost: x\r\nX-Slow-" + i + ": ")
            .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }
      for (Socket s : slow) {
        s.getOutputStream().write('a'); // one more byte each: still incomplete headers
      }
      assertEquals(202, router.post("/log", "{\"message\":\"not starved\"}").status());
      // The parse timeout (2 s) closes every trickling connection: the server side reaches EOF.
      for (Socket s : slow) {
        s.setSoTimeout(60_000);
        assertEquals(-1, readToEnd(s.getInputStream()), "connection closed by the server");
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void aBodyTricklingPastTheBodyTimeoutIsCutOffAndNothingOfItIsQueued() throws Exception {
    long queuedBefore = router.router().gate().backlogEvents();
    byte[] body = "[{\"message\":\"slow\"},{\"message\":\"body\"}]".getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", router.router().port()), 5_000);
      s.getOutputStream().write(("POST /log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (body.length * 1000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // One byte every 100 ms: the idle timeout (120 s) never fires, the body timeout (1 s) must.
      s.setSoTimeout(100);
      boolean closed = false;
      for (int i = 0; i < 300 && !closed; i++) { // 300 x 100 ms: far past the 1 s deadline
        try {
          s.getOutputStream().write(body[i % body.length]);
          closed = s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
          // the server is still waiting for the body
        } catch (java.net.SocketException reset) {
          closed = true;
        }
      }
      assertTrue(closed, "a body trickling for 30 s was never cut off");
    }
    assertEquals(queuedBefore, router.router().gate().backlogEvents(), "nothing of the cut-off request queued");
    assertEquals(202, router.post("/log", "{\"message\":\"after the cut-off\"}").status());
  }

  /** Skips whatever the server sends (perhaps a 408) and returns -1 at end of stream. */
  private static int readToEnd(InputStream in) throws IOException {
    try {
      while (in.read() != -1) {
        // discard
      }
      return -1;
    } catch (java.net.SocketException reset) {
      return -1; // a reset is a close too
    }
  }

}

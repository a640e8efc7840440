package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * http.max.connections: past the cap a new connection is not served (it waits in the kernel's
 * accept backlog) until a held one closes; then it is served normally.
 */
class ConnectionCapHttpTest {
  private static final String REQUEST = "POST /log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      + "Content-Length: 16\r\n\r\n{\"message\":\"c\"}\n";

  @TempDir
  Path dir;

  @Test
  void aConnectionPastTheCapWaitsUntilAHeldOneCloses() throws IOException {
    // One IO thread so the whole cap of 2 is on it (XNIO shares the cap out among IO threads).
    try (TestDatabase db = TestDatabase.create("conncap");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("http.io.threads", "1", "http.max.connections", "2"));
        Socket first = connect(router);
        Socket second = connect(router);
        Socket third = connect(router)) {
      assertEquals("HTTP/1.1 202 Accepted", exchange(first));
      assertEquals("HTTP/1.1 202 Accepted", exchange(second));
      third.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
      third.setSoTimeout(1_000); // absence of an answer: a second is ages on loopback
      assertThrows(SocketTimeoutException.class, () -> third.getInputStream().read(), "served past the cap");
      first.close();
      third.setSoTimeout(30_000);
      assertEquals("HTTP/1.1 202 Accepted", statusLine(third));
    }
  }

  private static Socket connect(RouterHarness router) throws IOException {
    Socket s = new Socket();
    // The TCP handshake completes even past the cap: the kernel queues the connection in the backlog.
    s.connect(new InetSocketAddress("127.0.0.1", router.router().port()), 5_000);
    return s;
  }

  private static String exchange(Socket s) throws IOException {
    s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
    s.setSoTimeout(30_000);
    return statusLine(s);
  }

  private static String statusLine(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
  }
}

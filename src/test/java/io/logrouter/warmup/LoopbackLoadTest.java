package io.logrouter.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up's bare client against a real socket: answers split across reads, each read whole. */
class LoopbackLoadTest {
  private static final byte[] REQUEST = "POST /log HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
      .getBytes(StandardCharsets.US_ASCII);

  @Test
  void answersSplitAcrossReadsAreEachReadWholeAndCountedByStatus() throws Exception {
    // Every second answer is a 400 with a longer body; each is written in 3-byte pieces with pauses.
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      AtomicInteger served = new AtomicInteger();
      Thread t = new Thread(() -> serve(server, served, 3));
      t.start();
      LoopbackLoad.Result result = LoopbackLoad.run(server.getLocalPort(), List.of(REQUEST), 40, 1,
          System.nanoTime() + 60_000_000_000L);
      t.join(10_000);
      assertEquals(new LoopbackLoad.Result(20, 20, null), result);
      assertEquals(40, served.get());
    }
  }

  @Test
  void aServerThatClosesTheConnectionIsAProblemNotAHang() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[REQUEST.length]);
        } catch (Exception ignored) {
          // the test fails on the client's side if this goes wrong
        }
      });
      t.start();
      LoopbackLoad.Result result = LoopbackLoad.run(server.getLocalPort(), List.of(REQUEST), 10, 1,
          System.nanoTime() + 60_000_000_000L);
      t.join(10_000);
      assertEquals(0, result.answered2xx());
      assertNotNull(result.firstProblem());
      assertTrue(result.firstProblem().contains("closed the connection"), result.firstProblem());
    }
  }

  /** Reads each request whole, answers 202 and 400 in turn, written {@code piece} bytes at a time. */
  private static void serve(ServerSocket server, AtomicInteger served, int piece) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] request = new byte[REQUEST.length];
      while (in.readNBytes(request, 0, request.length) == request.length) {
        int n = served.incrementAndGet();
        String body = n % 2 == 0 ? "{\"error\":\"bad request number " + n + "\"}" : "{\"accepted\":1}";
        byte[] answer = ((n % 2 == 0 ? "HTTP/1.1 400 Bad Request" : "HTTP/1.1 202 Accepted")
            + "\r\ncontent-length: " + body.length() + "\r\nContent-Type: application/json\r\n\r\n" + body)
            .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < answer.length; i += piece) {
          out.write(answer, i, Math.min(piece, answer.length - i));
          out.flush();
          if (i % 30 == 0) {
            Thread.sleep(1);
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

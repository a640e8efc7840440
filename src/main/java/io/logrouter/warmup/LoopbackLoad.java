package io.logrouter.warmup;

import io.logrouter.threads.RouterThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends requests to a port on loopback over a few keep-alive connections, one thread each, one request at a time
 * per connection, and reads each whole answer. A bare HTTP/1.1 client on purpose: the JDK's would compile its own
 * code during the warm-up, on the same cores the router's code needs.
 */
final class LoopbackLoad {
  private static final int READ_TIMEOUT_MS = 10_000;
  /**
   * A request larger than this goes in two writes, 0.1 ms apart: the router then finds the body incomplete, waits
   * for the rest and reads on later, as it does for a real client's large body arriving over a network. With
   * every body whole at the first read, that continuation was compiled out and thrown away at the first real
   * large body (JIT log).
   */
  static final int SPLIT_ABOVE_BYTES = 16 * 1024;
  private static final long SPLIT_PAUSE_NANOS = 100_000;

  /**
   * How the load went: requests answered 2xx (and GETs answered at all), POSTs answered otherwise, and the first
   * thing that went wrong (or null).
   */
  record Result(int answered2xx, int otherAnswers, String firstProblem) {
    static final Result NONE = new Result(0, 0, null);

    Result plus(Result next) {
      return new Result(answered2xx + next.answered2xx, otherAnswers + next.otherAnswers,
          firstProblem != null ? firstProblem : next.firstProblem);
    }
  }

  private LoopbackLoad() {}

  /** Sends {@code total} requests, cycling through {@code requests}, over {@code connections} connections. */
  static Result run(int port, List<byte[]> requests, int total, int connections, long deadlineNanos)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicReference<String> problem = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread t = RouterThreads.newThread("warmup-load-" + c, () -> {
        try {
          sendUntilDone(port, requests, total, deadlineNanos, next, ok, other);
        } catch (IOException | RuntimeException e) {
          problem.compareAndSet(null, e.toString());
        }
      }, true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(ok.get(), other.get(), problem.get());
  }

  private static void sendUntilDone(int port, List<byte[]> requests, int total, long deadlineNanos,
      AtomicInteger next, AtomicInteger ok, AtomicInteger other) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      ResponseReader in = new ResponseReader(socket.getInputStream());
      for (int n = next.getAndIncrement(); n < total && System.nanoTime() < deadlineNanos; n = next.getAndIncrement()) {
        byte[] request = requests.get(n % requests.size());
        write(out, request);
        int status = in.readStatus();
        // A GET's status says nothing of the warm-up (/health answers 503 while the flusher is stalled).
        (status / 100 == 2 || request[0] == 'G' ? ok : other).incrementAndGet();
      }
    }
  }

  private static void write(OutputStream out, byte[] request) throws IOException {
    if (request.length > SPLIT_ABOVE_BYTES) {
      int half = request.length / 2;
      out.write(request, 0, half);
      out.flush();
      LockSupport.parkNanos(SPLIT_PAUSE_NANOS);
      out.write(request, half, request.length - half);
    } else {
      out.write(request);
    }
    out.flush();
  }

  /** Reads one HTTP/1.1 answer at a time: status line, headers, a Content-Length body (what the router sends). */
  static final class ResponseReader {
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;

    ResponseReader(InputStream in) {
      this.in = in;
    }

    /** The status code of the next answer, its body read and dropped. */
    int readStatus() throws IOException {
      int headEnd;
      while ((headEnd = indexOfBlankLine()) < 0) {
        fill();
      }
      String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1);
      start = headEnd + 4;
      int status = Integer.parseInt(head.substring(9, 12));
      long bodyLeft = contentLength(head);
      while (bodyLeft > 0) {
        if (start == end) {
          fill();
        }
        int take = (int) Math.min(bodyLeft, end - start);
        start += take;
        bodyLeft -= take;
      }
      return status;
    }

    private static long contentLength(String head) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
          return Long.parseLong(line.substring(colon + 1).trim());
        }
      }
      throw new IllegalStateException("an answer without Content-Length: " + head.lines().findFirst().orElse(""));
    }

    private int indexOfBlankLine() {
      for (int i = start; i + 3 < end; i++) {
        if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private void fill() throws IOException {
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buffer.length) {
        throw new IllegalStateException("an answer's head longer than " + buffer.length + " bytes");
      }
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        throw new IOException("the server closed the connection");
      }
      end += n;
    }
  }
}

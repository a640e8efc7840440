package io.logrouter.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A router stand-in on a real socket for client-only behaviour (retries, failover, spill): it
 * records every request (key, decoded lines) and answers from a script, then 202. Row-level
 * exactly-once is tested against the real router in the appender modules.
 */
final class StubRouter implements AutoCloseable {
  /** A scripted answer; status -1 closes the connection without answering (an I/O error). */
  record Answer(int status, String retryAfter) {}

  /** Names the stub's request threads. */
  static final String THREAD_PREFIX = "stub-router-";

  record Request(String key, String contentEncoding, List<String> lines, int status, long arrivedNanos) {}

  private final int port;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile long holdMs;
  private ExecutorService executor;
  private HttpServer server;

  private StubRouter(int port) {
    this.port = port;
  }

  static StubRouter start() {
    StubRouter s = new StubRouter(freePort());
    s.up();
    return s;
  }

  /** A stub that will listen on {@code port} once {@link #up()} is called. */
  static StubRouter onPort(int port) {
    return new StubRouter(port);
  }

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Holds every request this long before answering (requests are handled concurrently). */
  StubRouter holdEachRequest(long ms) {
    holdMs = ms;
    return this;
  }

  /** The most requests that were being handled at the same time. */
  int maxConcurrentRequests() {
    return maxInFlight.get();
  }

  StubRouter answer(int status, String retryAfter) {
    script.add(new Answer(status, retryAfter));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/log";
  }

  int port() {
    return port;
  }

  List<Request> requests() {
    return requests;
  }

  /** Lines of every request answered 2xx, in arrival order. */
  List<String> acceptedLines() {
    List<String> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.status() / 100 == 2) {
        out.addAll(r.lines());
      }
    }
    return out;
  }

  void up() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/log", this::handleCounted);
    // Concurrent requests really overlap; named so thread counts can leave the stub's own out.
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, THREAD_PREFIX + port);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
  }

  void down() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public void close() {
    if (server != null) {
      down();
    }
  }

  private void handleCounted(HttpExchange ex) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      if (holdMs > 0) {
        Thread.sleep(holdMs);
      }
      handle(ex);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    long arrived = System.nanoTime();
    byte[] body = ex.getRequestBody().readAllBytes();
    Answer a = script.poll();
    int status = a == null ? 202 : a.status();
    List<String> lines = decode(body, ex.getRequestHeaders().getFirst("Content-Encoding"));
    requests.add(new Request(ex.getRequestHeaders().getFirst("Idempotency-Key"),
        ex.getRequestHeaders().getFirst("Content-Encoding"), lines, status, arrived));
    if (status < 0) {
      ex.close(); // no answer: the client sees the connection end
      return;
    }
    if (a != null && a.retryAfter() != null) {
      ex.getResponseHeaders().add("Retry-After", a.retryAfter());
    }
    byte[] answer = (status == 202 ? "{\"accepted\":" + lines.size() + "}" : "{\"error\":\"scripted " + status + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, answer.length);
    ex.getResponseBody().write(answer);
    ex.close();
  }

  private static List<String> decode(byte[] body, String encoding) throws IOException {
    InputStream in = new java.io.ByteArrayInputStream(body);
    if ("gzip".equals(encoding)) {
      in = new GZIPInputStream(in);
    }
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isEmpty()) {
        lines.add(l);
      }
    }
    return lines;
  }
}

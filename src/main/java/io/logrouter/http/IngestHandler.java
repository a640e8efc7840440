package io.logrouter.http;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.DocumentTooLargeException;
import io.logrouter.buffer.EventQueue;
import io.logrouter.buffer.GroupSync;
import io.logrouter.event.BodyFormat;
import io.logrouter.event.IngestParser;
import io.logrouter.event.InvalidEventException;
import io.logrouter.metrics.RouterMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;

/**
 * POST ingest: read the body, parse and validate every event, append the request as one queue
 * document, answer {@code 202 {"accepted":N}}. Runs entirely on Undertow's IO threads: parsing is
 * CPU work of microseconds and the append is a memory-mapped write, so a hand-off to a worker pool
 * would cost more than it saves. Per-thread state (parser, staging buffer) is never shared; the
 * only shared state touched is the striped backlog counter and metrics.
 */
final class IngestHandler implements HttpHandler {
  /** Pre-encoded {"accepted":N} bodies for the common small N; larger N are encoded per request. */
  private static final byte[][] ACCEPTED = new byte[1025][];
  /** Seconds a 503 asks the client to wait: about the time a flush takes to free backlog. */
  private static final String RETRY_AFTER_SECONDS = "1";

  static {
    for (int i = 0; i < ACCEPTED.length; i++) {
      ACCEPTED[i] = accepted(i);
    }
  }

  private final String route;
  private final EventQueue queue;
  private final BacklogGate gate;
  private final GroupSync groupSync;
  private final RouterMetrics metrics;
  private final io.micrometer.core.instrument.Counter acceptedRequests;
  private final long maxBodyBytes;
  private final BodyReader bodyReader;
  private final ThreadLocal<ThreadState> state;

  /** What each IO thread reuses across requests. */
  private static final class ThreadState {
    final IngestParser parser;
    final Bytes<?> staging = Bytes.allocateElasticDirect(64 * 1024);

    ThreadState(IngestParser parser) {
      this.parser = parser;
    }
  }

  /** @param groupSync null in {@code process} durability: acks go out right after the append */
  IngestHandler(String route, EventQueue queue, BacklogGate gate, GroupSync groupSync, RouterMetrics metrics,
      IngestLimits limits, BodyBudget budget) {
    this.route = route;
    this.queue = queue;
    this.gate = gate;
    this.groupSync = groupSync;
    this.metrics = metrics;
    this.acceptedRequests = metrics.requestCounter(route, 202);
    this.maxBodyBytes = limits.maxBodyBytes();
    this.bodyReader = new BodyReader(budget, limits, metrics, route);
    this.state = ThreadLocal.withInitial(() -> new ThreadState(limits.newParser()));
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String refusal = gate.refusal();
    if (refusal != null) {
      unavailable(exchange, refusal);
      return;
    }
    BodyFormat format = BodyDecoding.formatOf(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
    if (format == null) {
      fail(exchange, 415, "unsupported Content-Type '" + exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE)
          + "': send application/json or application/x-ndjson", -1, null);
      return;
    }
    boolean gzip;
    try {
      gzip = BodyDecoding.isGzip(exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING));
    } catch (BodyDecoding.DecodeException e) {
      fail(exchange, e.status, e.getMessage(), -1, null);
      return;
    }
    bodyReader.read(exchange, (ex, body, length) -> onBody(ex, body, length, format, gzip), this::refuse);
  }

  private void refuse(HttpServerExchange exchange, int status, String message) {
    if (status == 503) {
      unavailable(exchange, message);
    } else {
      fail(exchange, status, message, -1, null);
    }
  }

  private void onBody(HttpServerExchange exchange, byte[] body, int length, BodyFormat format, boolean gzip) {
    long start = System.nanoTime();
    byte[] data = body;
    int dataLength = length;
    if (gzip) {
      try {
        data = BodyDecoding.gunzip(body, length, maxBodyBytes);
        dataLength = data.length;
      } catch (BodyDecoding.DecodeException e) {
        fail(exchange, e.status, e.getMessage(), -1, null);
        return;
      }
    }
    ThreadState st = state.get();
    st.staging.clear();
    int count;
    try {
      count = st.parser.parse(data, 0, dataLength, format, receivedMicros(), st.staging);
    } catch (InvalidEventException e) {
      fail(exchange, e.status(), e.getMessage(), e.eventIndex(), e.field());
      return;
    }
    if (count == 0) {
      respondAccepted(exchange, 0, dataLength, start);
      return;
    }
    try {
      queue.append(st.staging);
    } catch (DocumentTooLargeException e) {
      fail(exchange, 413, e.getMessage(), -1, null);
      return;
    } catch (RuntimeException e) {
      unavailable(exchange, "the disk queue cannot be written: " + e.getMessage());
      return;
    }
    gate.appended(st.staging.readRemaining(), count);
    if (groupSync == null) {
      respondAccepted(exchange, count, dataLength, start);
    } else {
      awaitFsync(exchange, count, dataLength, start);
    }
  }

  private void awaitFsync(HttpServerExchange exchange, int count, int bodyBytes, long start) {
    java.io.File file = queue.currentFile();
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> groupSync.submit(file,
        () -> exchange.getIoThread().execute(() -> respondAccepted(exchange, count, bodyBytes, start)),
        () -> exchange.getIoThread().execute(() -> unavailable(exchange, "the disk queue could not be fsynced"))));
  }

  private void respondAccepted(HttpServerExchange exchange, int count, int bodyBytes, long start) {
    byte[] body = count < ACCEPTED.length ? ACCEPTED[count] : accepted(count);
    JsonResponses.send(exchange, 202, body);
    metrics.accepted(count, bodyBytes, System.nanoTime() - start);
    acceptedRequests.increment();
  }

  private void unavailable(HttpServerExchange exchange, String reason) {
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
    fail(exchange, 503, reason, -1, null);
  }

  private void fail(HttpServerExchange exchange, int status, String message, int eventIndex, String field) {
    Map<String, Object> extra = new LinkedHashMap<>();
    if (eventIndex >= 0) {
      extra.put("event", eventIndex);
    }
    if (field != null) {
      extra.put("field", field);
    }
    extra.put("accepted", 0);
    JsonResponses.error(exchange, status, message, extra);
    metrics.request(route, status);
  }

  /** Receive time in micros: one clock read per request, shared by all its events. */
  private static long receivedMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private static byte[] accepted(int n) {
    return ("{\"accepted\":" + n + "}").getBytes(StandardCharsets.US_ASCII);
  }
}

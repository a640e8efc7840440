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
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

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
  /** Oversized bodies up to this size are drained so the client reads its 413 (see refuseOversized). */
  private static final long DRAIN_LIMIT_BYTES = 64L << 20;
  /** Seconds a 503 asks the client to wait: about the time a flush takes to free backlog. */
  private static final String RETRY_AFTER_SECONDS = "1";
  /** The timer of a body still arriving after its headers (see cutOffIfStillReceiving). */
  private static final AttachmentKey<XnioExecutor.Key> BODY_DEADLINE = AttachmentKey.create(XnioExecutor.Key.class);

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
  private final long bodyTimeoutMillis;
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
      IngestLimits limits) {
    this.route = route;
    this.queue = queue;
    this.gate = gate;
    this.groupSync = groupSync;
    this.metrics = metrics;
    this.acceptedRequests = metrics.requestCounter(route, 202);
    this.maxBodyBytes = limits.maxBodyBytes();
    this.bodyTimeoutMillis = limits.bodyTimeoutMillis();
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
    long declared = exchange.getRequestContentLength();
    if (declared > maxBodyBytes) {
      refuseOversized(exchange, declared);
      return;
    }
    exchange.setMaxEntitySize(maxBodyBytes);
    exchange.getRequestReceiver().receiveFullBytes(
        (ex, body) -> onBody(ex, body, format, gzip),
        (ex, error) -> onBodyError(ex));
    if (!exchange.isRequestComplete()) {
      // Only a body that did not arrive with its headers pays for a timer; cancelled when it has
      // arrived, so a busy server does not keep a minute of finished exchanges reachable.
      exchange.putAttachment(BODY_DEADLINE, exchange.getIoThread().executeAfter(
          () -> cutOffIfStillReceiving(exchange), bodyTimeoutMillis, TimeUnit.MILLISECONDS));
    }
  }

  private static void cancelBodyDeadline(HttpServerExchange exchange) {
    XnioExecutor.Key deadline = exchange.removeAttachment(BODY_DEADLINE);
    if (deadline != null) {
      deadline.remove();
    }
  }

  /**
   * The body deadline: a client that keeps a body trickling in (a byte now and then, so the idle
   * timeout never fires) would hold its connection and buffer forever. Runs on the exchange's IO
   * thread, like every other step of it.
   */
  private void cutOffIfStillReceiving(HttpServerExchange exchange) {
    if (exchange.isRequestComplete() || !exchange.getConnection().isOpen()) {
      return;
    }
    metrics.request(route, 408);
    IoUtils.safeClose(exchange.getConnection());
  }

  private void onBodyError(HttpServerExchange exchange) {
    cancelBodyDeadline(exchange);
    if (!exchange.getConnection().isOpen()) {
      return; // cut off by the body deadline, or the client went away: nobody to answer
    }
    fail(exchange, 413, "body is over " + maxBodyBytes + " bytes or was cut off", -1, null);
  }

  /**
   * Answers 413 to a body declared larger than the limit. Up to {@link #DRAIN_LIMIT_BYTES} the body
   * is read and discarded first: a server that answers and closes while the client still sends
   * makes most clients see a connection reset instead of the 413.
   */
  private void refuseOversized(HttpServerExchange exchange, long declared) {
    String message = "body is over " + maxBodyBytes + " bytes";
    if (declared > DRAIN_LIMIT_BYTES) {
      exchange.setPersistent(false);
      fail(exchange, 413, message, -1, null);
      return;
    }
    exchange.setMaxEntitySize(declared);
    exchange.getRequestReceiver().receivePartialBytes(
        (ex, chunk, last) -> {
          if (last) {
            fail(ex, 413, message, -1, null);
          }
        },
        (ex, error) -> fail(ex, 413, message, -1, null));
  }

  private void onBody(HttpServerExchange exchange, byte[] body, BodyFormat format, boolean gzip) {
    cancelBodyDeadline(exchange);
    long start = System.nanoTime();
    byte[] data = body;
    if (gzip) {
      try {
        data = BodyDecoding.gunzip(body, maxBodyBytes);
      } catch (BodyDecoding.DecodeException e) {
        fail(exchange, e.status, e.getMessage(), -1, null);
        return;
      }
    }
    ThreadState st = state.get();
    st.staging.clear();
    int count;
    try {
      count = st.parser.parse(data, 0, data.length, format, receivedMicros(), st.staging);
    } catch (InvalidEventException e) {
      fail(exchange, e.status(), e.getMessage(), e.eventIndex(), e.field());
      return;
    }
    if (count == 0) {
      respondAccepted(exchange, 0, data.length, start);
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
      respondAccepted(exchange, count, data.length, start);
    } else {
      awaitFsync(exchange, count, data.length, start);
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

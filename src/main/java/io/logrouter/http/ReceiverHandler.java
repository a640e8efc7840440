package io.logrouter.http;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.DocumentTooLargeException;
import io.logrouter.buffer.EventQueue;
import io.logrouter.buffer.GroupSync;
import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;
import io.logrouter.event.RecordBuffer;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.receive.ReceivedRequest;
import io.logrouter.receive.Receiver;
import io.logrouter.receive.RecentKeys;
import io.logrouter.receive.Reply;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;

/**
 * POST ingest for any {@link Receiver}: gate, read the body within the memory budget, undo its
 * Content-Encoding, let the receiver decode it into one queue document, append it, answer in the
 * receiver's protocol once it is durable. Runs entirely on Undertow's IO threads: decoding is CPU work
 * of microseconds and the append is a memory-mapped write, so a hand-off to a worker pool would cost
 * more than it saves. Per-thread state (document buffer, event writer) is never shared; the only
 * shared state touched is the striped backlog counter and metrics.
 *
 * @param <S> the receiver's per-request answer state
 */
final class ReceiverHandler<S> implements HttpHandler {
  /** Seconds a 503 asks the client to wait: about the time a flush takes to free backlog. */
  private static final String RETRY_AFTER_SECONDS = "1";
  private static final HttpString IDEMPOTENCY_KEY = new HttpString("Idempotency-Key");
  /** A key is an opaque string from the client; 255 characters hold any UUID, hash or composite id. */
  static final int MAX_KEY_CHARS = 255;

  private final String route;
  private final Receiver<S> receiver;
  private final EventQueue queue;
  private final BacklogGate gate;
  private final GroupSync groupSync;
  private final RouterMetrics metrics;
  private final io.micrometer.core.instrument.Counter acceptedRequests;
  private final long maxBodyBytes;
  private final BodyReader bodyReader;
  private final ThreadLocal<ThreadState> state;
  private final RecentKeys<Reply> recentKeys;

  /** What each IO thread reuses across requests. */
  private static final class ThreadState {
    final RecordBuffer document = new RecordBuffer(64 * 1024);
    final EventWriter writer;

    ThreadState(EventWriter writer) {
      this.writer = writer;
    }
  }

  /** @param groupSync null in {@code process} durability: acks go out right after the append */
  ReceiverHandler(String route, Receiver<S> receiver, EventQueue queue, BacklogGate gate, GroupSync groupSync,
      RouterMetrics metrics, IngestLimits limits, BodyBudget budget, RecentKeys<Reply> recentKeys) {
    this.recentKeys = recentKeys;
    this.route = route;
    this.receiver = receiver;
    this.queue = queue;
    this.gate = gate;
    this.groupSync = groupSync;
    this.metrics = metrics;
    this.acceptedRequests = metrics.requestCounter(route, 202);
    this.maxBodyBytes = limits.maxBodyBytes();
    this.bodyReader = new BodyReader(budget, limits, metrics, route);
    this.state = ThreadLocal.withInitial(() -> new ThreadState(limits.newWriter()));
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ReceivedRequest head = request(exchange, null, 0);
    String refusal = gate.refusal();
    if (refusal != null) {
      send(exchange, head, receiver.refused(head, 503, refusal, -1, null));
      return;
    }
    String unsupported = receiver.unsupportedType(head);
    if (unsupported != null) {
      send(exchange, head, receiver.refused(head, 415, unsupported, -1, null));
      return;
    }
    BodyDecoding.Encoding encoding;
    try {
      encoding = BodyDecoding.encodingOf(exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING));
    } catch (BodyDecoding.DecodeException e) {
      send(exchange, head, receiver.refused(head, e.status, e.getMessage(), -1, null));
      return;
    }
    bodyReader.read(exchange, (ex, body, length) -> onBody(ex, head, body, length, encoding),
        (ex, status, message) -> send(ex, head, receiver.refused(head, status, message, -1, null)));
  }

  private void onBody(HttpServerExchange exchange, ReceivedRequest head, byte[] body, int length,
      BodyDecoding.Encoding encoding) {
    long start = System.nanoTime();
    byte[] data = body;
    int dataLength = length;
    if (encoding != BodyDecoding.Encoding.IDENTITY) {
      try {
        data = BodyDecoding.decode(encoding, body, length, maxBodyBytes);
        dataLength = data.length;
      } catch (BodyDecoding.DecodeException e) {
        send(exchange, head, receiver.refused(head, e.status, e.getMessage(), -1, null));
        return;
      }
    }
    ReceivedRequest request = head.withBody(data, dataLength);
    String key = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
    if (key != null) {
      if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
        send(exchange, request, receiver.refused(request, 400,
            "Idempotency-Key must be 1 to " + MAX_KEY_CHARS + " characters", -1, null));
        return;
      }
      Reply earlier = recentKeys.answered(key);
      if (earlier != null) {
        write(exchange, earlier); // a retry: the same answer again, nothing appended
        metrics.request(route, earlier.status());
        return;
      }
    }
    ThreadState st = state.get();
    st.document.clear();
    st.writer.begin(st.document, key);
    S decoded;
    try {
      decoded = receiver.decode(request, st.writer);
    } catch (InvalidEventException e) {
      send(exchange, request, receiver.refused(request, e.status(), e.getMessage(), e.eventIndex(), e.field()));
      return;
    }
    int count = st.writer.finish();
    if (count > 0) {
      try {
        queue.append(st.document.array(), 0, st.document.length());
      } catch (DocumentTooLargeException e) {
        send(exchange, request, receiver.refused(request, 413, e.getMessage(), -1, null));
        return;
      } catch (RuntimeException e) {
        send(exchange, request, receiver.refused(request, 503, "the disk queue cannot be written: " + e.getMessage(),
            -1, null));
        return;
      }
      gate.appended(st.document.length(), count);
    }
    Reply reply = receiver.accepted(request, decoded, count);
    if (groupSync == null || count == 0) {
      acknowledge(exchange, key, reply, count, dataLength, start);
    } else {
      awaitFsync(exchange, request, key, reply, count, dataLength, start);
    }
  }

  private void awaitFsync(HttpServerExchange exchange, ReceivedRequest request, String key, Reply reply, int count,
      int bodyBytes, long start) {
    java.io.File file = queue.currentFile();
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> groupSync.submit(file,
        () -> exchange.getIoThread().execute(() -> acknowledge(exchange, key, reply, count, bodyBytes, start)),
        () -> exchange.getIoThread().execute(() -> send(exchange, request,
            receiver.refused(request, 503, "the disk queue could not be fsynced", -1, null)))));
  }

  private void acknowledge(HttpServerExchange exchange, String key, Reply reply, int count, int bodyBytes,
      long start) {
    if (key != null && reply.status() < 300) {
      recentKeys.remember(key, reply);
    }
    write(exchange, reply);
    metrics.accepted(count, bodyBytes, System.nanoTime() - start);
    if (reply.status() == 202) {
      acceptedRequests.increment();
    } else {
      metrics.request(route, reply.status());
    }
  }

  /** Sends a refusal (or any answer that is not an acknowledgement) and counts it. */
  private void send(HttpServerExchange exchange, ReceivedRequest request, Reply reply) {
    if (reply.status() == 503 || reply.status() == 429) {
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    write(exchange, reply);
    metrics.request(route, reply.status());
  }

  private static void write(HttpServerExchange exchange, Reply reply) {
    exchange.setStatusCode(reply.status());
    if (reply.contentType() != null) {
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, reply.contentType());
    }
    exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
  }

  private static ReceivedRequest request(HttpServerExchange exchange, byte[] body, int length) {
    HeaderMap headers = exchange.getRequestHeaders();
    return new ReceivedRequest(exchange.getRequestPath(), headers.getFirst(Headers.CONTENT_TYPE), headers::getFirst,
        body, length, receivedMicros());
  }

  /** Receive time in micros: one clock read per request, shared by all its events. */
  private static long receivedMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}

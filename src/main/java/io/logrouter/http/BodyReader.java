package io.logrouter.http;

import io.logrouter.metrics.RouterMetrics;
import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Reads one ingest request body into memory as its bytes arrive — never from the declared
 * Content-Length, which costs a client nothing to inflate — within the global {@link BodyBudget}.
 * Undertow's receiveFullBytes reserves the declared length up front: 50 clients declaring 8 MB and
 * sending one byte held 615 MB of heap (issue 15).
 *
 * <ul>
 *   <li>Budget reached: new bodies get 503 + Retry-After and are not read; the connection closes.
 *       A body that outgrows the budget mid-way gives its memory back at once; the rest is read
 *       and discarded (up to {@link #DRAIN_LIMIT_BYTES}) and answered 503, so a client still
 *       sending reads the answer instead of a connection reset.
 *   <li>Over http.max.body.bytes (declared, or counted for a chunked body): the rest is read and
 *       discarded (up to {@link #DRAIN_LIMIT_BYTES}) so the client can read its 413.
 *   <li>Slow bodies: still arriving after http.request.body.timeout, or slower on average than
 *       http.request.body.min.rate once http.request.body.min.rate.grace has passed, the connection is
 *       closed (counted as 408).
 * </ul>
 *
 * <p>Everything runs on the exchange's IO thread (callbacks and timer alike), so the per-body state
 * needs no synchronization.
 */
final class BodyReader {
  private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
  /** Oversized bodies up to this size are drained so the client reads its 413, not a reset. */
  static final long DRAIN_LIMIT_BYTES = 64L << 20;
  /** How often a body still arriving is checked against the rate floor and the deadline. */
  private static final long CHECK_PERIOD_MILLIS = 1_000;
  /** Smallest growth of a body buffer: a body of many small reads does not copy itself at every one. */
  private static final int MIN_CAPACITY = 16 * 1024;
  /** Far more than one read hands over: the drain limit is always seen before Undertow's cap. */
  private static final long UNDERTOW_CAP_MARGIN = 1L << 20;
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  private static final byte[] EMPTY = new byte[0];
  private static final String BUSY = "too many request bodies in flight (http.max.inflight.body.bytes); retry later";

  /** Takes a complete body: {@code length} bytes of {@code body} (which may be longer). */
  interface Consumer {
    void accept(HttpServerExchange exchange, byte[] body, int length);
  }

  /** Answers a refused body (413, 503, 400). */
  interface Refusal {
    void refuse(HttpServerExchange exchange, int status, String message);
  }

  private final BodyBudget budget;
  private final long maxBodyBytes;
  private final long timeoutMillis;
  private final long minBytesPerSecond;
  private final long graceMillis;
  private final RouterMetrics metrics;
  private final String route;

  BodyReader(BodyBudget budget, IngestLimits limits, RouterMetrics metrics, String route) {
    this.budget = budget;
    this.maxBodyBytes = Math.min(limits.maxBodyBytes(), MAX_ARRAY);
    this.timeoutMillis = limits.bodyTimeoutMillis();
    this.minBytesPerSecond = limits.bodyMinBytesPerSecond();
    this.graceMillis = limits.bodyMinRateGraceMillis();
    this.metrics = metrics;
    this.route = route;
  }

  void read(HttpServerExchange exchange, Consumer consumer, Refusal refusal) {
    long declared = exchange.getRequestContentLength();
    if (declared > DRAIN_LIMIT_BYTES) {
      exchange.setPersistent(false);
      refusal.refuse(exchange, 413, tooLarge());
      return;
    }
    boolean oversized = declared > maxBodyBytes;
    if (!oversized && budget.exhausted()) {
      exchange.setPersistent(false); // the body stays unread: the connection cannot carry another request
      refusal.refuse(exchange, 503, "too many request bodies in flight (http.max.inflight.body.bytes); retry later");
      return;
    }
    // Undertow's own cap (2 MB by default) would end a chunked body with an exception and a stack
    // trace; it is set past the drain limit so that the counting here always decides first.
    exchange.setMaxEntitySize(DRAIN_LIMIT_BYTES + UNDERTOW_CAP_MARGIN);
    InFlight body = new InFlight(exchange, consumer, refusal, oversized);
    exchange.getRequestReceiver().receivePartialBytes(body, body);
    if (body.receiving()) {
      body.schedule(Math.min(graceMillis, timeoutMillis));
    }
  }

  private String tooLarge() {
    return "body is over " + maxBodyBytes + " bytes";
  }

  /** One body being received. */
  private final class InFlight implements Receiver.PartialBytesCallback, Receiver.ErrorCallback, Runnable {
    private final HttpServerExchange exchange;
    private final Consumer consumer;
    private final Refusal refusal;
    private final long startNanos = System.nanoTime();
    private boolean draining;
    /** What a drained body is answered: 413 (over the size limit) or 503 (over the budget). */
    private int drainStatus = 413;
    private boolean done;
    private byte[] buffer;
    private int length;
    private long reserved;
    private long received;
    private XnioExecutor.Key timer;

    InFlight(HttpServerExchange exchange, Consumer consumer, Refusal refusal, boolean draining) {
      this.exchange = exchange;
      this.consumer = consumer;
      this.refusal = refusal;
      this.draining = draining;
    }

    boolean receiving() {
      return !done;
    }

    @Override
    public void handle(HttpServerExchange ex, byte[] chunk, boolean last) {
      if (done) {
        return;
      }
      received += chunk.length;
      if (!draining && length + (long) chunk.length > maxBodyBytes) {
        startDraining();
      }
      if (draining) {
        drain(last);
        return;
      }
      if (chunk.length > 0 && !store(chunk)) {
        // Outgrew the budget mid-body: give the memory back at once and read the rest without
        // keeping it, so that the client, still sending, reads its 503 rather than a reset.
        releaseBuffer();
        draining = true;
        drainStatus = 503;
        drain(last);
        return;
      }
      if (last) {
        byte[] body = buffer == null ? EMPTY : buffer;
        int bodyLength = length;
        try {
          consumer.accept(exchange, body, bodyLength);
        } finally {
          finish();
        }
      }
    }

    /** A chunked body passed the limit: free what it holds, read on without keeping it, answer 413. */
    private void startDraining() {
      draining = true;
      releaseBuffer();
      LOG.warn("413 on {} from {}: chunked request body over {} bytes (http.max.body.bytes); the rest is discarded",
          route, exchange.getSourceAddress(), maxBodyBytes);
    }

    private void drain(boolean last) {
      if (last) {
        finish();
        refuseDrained();
      } else if (received > DRAIN_LIMIT_BYTES) {
        finish();
        exchange.setPersistent(false);
        exchange.getRequestReceiver().pause();
        refuseDrained();
      }
    }

    private void refuseDrained() {
      if (drainStatus == 503) {
        refusal.refuse(exchange, 503, BUSY);
      } else {
        refusal.refuse(exchange, 413, tooLarge());
      }
    }

    /** Appends {@code chunk}, growing the buffer within the budget; @return false when the budget is spent */
    private boolean store(byte[] chunk) {
      if (buffer == null) {
        if (!budget.tryReserve(chunk.length)) {
          return false;
        }
        buffer = chunk; // the common single-read body is used as Undertow handed it over: no copy
        length = chunk.length;
        reserved = chunk.length;
        return true;
      }
      long needed = (long) length + chunk.length;
      if (needed > buffer.length) {
        long capacity = Math.min(maxBodyBytes, Math.max(needed, Math.max(MIN_CAPACITY, buffer.length * 2L)));
        if (!budget.tryReserve(capacity - reserved)) {
          return false;
        }
        reserved = capacity;
        buffer = Arrays.copyOf(buffer, (int) capacity);
      }
      System.arraycopy(chunk, 0, buffer, length, chunk.length);
      length += chunk.length;
      return true;
    }

    @Override
    public void error(HttpServerExchange ex, IOException e) {
      if (done) {
        return;
      }
      finish();
      if (exchange.getConnection().isOpen() && !exchange.isResponseStarted()) {
        exchange.setPersistent(false);
        if (e instanceof io.undertow.server.RequestTooBigException) {
          refusal.refuse(exchange, 413, tooLarge());
        } else {
          refusal.refuse(exchange, 400, "the request body could not be read: " + e.getMessage());
        }
      }
    }

    void schedule(long delayMillis) {
      timer = exchange.getIoThread().executeAfter(this, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** The periodic check of a body still arriving: deadline and rate floor. */
    @Override
    public void run() {
      timer = null;
      if (done) {
        return;
      }
      if (!exchange.getConnection().isOpen()) {
        finish(); // closed under us (idle timeout, client gone): only the memory is left to give back
        return;
      }
      long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000L;
      boolean late = elapsedMillis >= timeoutMillis;
      boolean slow = elapsedMillis >= graceMillis && received * 1_000L < minBytesPerSecond * elapsedMillis;
      if (late || slow) {
        finish();
        metrics.request(route, 408);
        IoUtils.safeClose(exchange.getConnection());
        return;
      }
      schedule(Math.min(CHECK_PERIOD_MILLIS, timeoutMillis - elapsedMillis));
    }

    /** Ends this body: memory back to the budget, timer cancelled. Safe to call more than once. */
    private void finish() {
      done = true;
      releaseBuffer();
      if (timer != null) {
        timer.remove();
        timer = null;
      }
    }

    private void releaseBuffer() {
      if (reserved > 0) {
        budget.release(reserved);
        reserved = 0;
      }
      buffer = null;
      length = 0;
    }
  }
}

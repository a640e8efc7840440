package io.logrouter.http;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.flush.FlushLanes;
import io.logrouter.metrics.RouterMetrics;
import io.undertow.server.HttpHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /status}: the pipeline in one small JSON object, read from the router's own objects
 * (no database round trip, no /metrics parsing), for the explorer's status strip:
 * <pre>{"backlog_events":12,"backlog_bytes":3400,"oldest_pending_seconds":1.2,"last_flush":"…Z"|null,
 *  "rows_per_second":850.0,"db":"up|down|probing","ingest":"accepting"|"refusing","refusal":null|"…",
 *  "stalled":null|"…"}</pre>
 * {@code rows_per_second} is the rate of committed rows over the last {@link #RATE_WINDOW_NANOS}
 * to twice that, from samples the requests themselves take (no thread of its own).
 */
final class PipelineStatus {
  /** Rates over 10-20 s: long enough to span a few flushes, short enough to show a stall soon. */
  static final long RATE_WINDOW_NANOS = 10_000_000_000L;

  private record Sample(long nanos, double rows) {}

  private final BacklogGate gate;
  private final FlushLanes flusher;
  private final RouterMetrics metrics;
  /** [older, newer]: the rate is taken against the older; once the newer is a window old it becomes the older. */
  private final AtomicReference<Sample[]> samples;

  PipelineStatus(BacklogGate gate, FlushLanes flusher, RouterMetrics metrics) {
    this.gate = gate;
    this.flusher = flusher;
    this.metrics = metrics;
    Sample start = new Sample(System.nanoTime(), metrics.rowsWritten());
    this.samples = new AtomicReference<>(new Sample[] {start, start});
  }

  HttpHandler handler() {
    return exchange -> JsonResponses.send(exchange, 200, json().getBytes(StandardCharsets.UTF_8));
  }

  String json() {
    long now = System.nanoTime();
    double rows = metrics.rowsWritten();
    double rate = rate(new Sample(now, rows));
    long oldest = flusher.oldestPendingMicros();
    double age = oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() / 1e3 - oldest / 1e6);
    long lastFlush = metrics.lastFlushEpochMillis();
    String refusal = gate.refusal();
    StringBuilder out = new StringBuilder(256).append('{');
    out.append("\"backlog_events\":").append(Math.max(0, gate.backlogEvents()));
    out.append(",\"backlog_bytes\":").append(Math.max(0, gate.backlogBytes()));
    out.append(",\"oldest_pending_seconds\":").append(Math.round(age * 10) / 10.0);
    out.append(",\"last_flush\":").append(lastFlush == 0 ? "null" : quote(Instant.ofEpochMilli(lastFlush).toString()));
    out.append(",\"rows_per_second\":").append(Math.round(rate * 10) / 10.0);
    out.append(",\"db\":").append(quote(OpsHandlers.dbWord(flusher.dbState())));
    out.append(",\"ingest\":").append(quote(refusal == null ? "accepting" : "refusing"));
    out.append(",\"refusal\":").append(refusal == null ? "null" : quote(refusal));
    String stall = flusher.stallReason();
    out.append(",\"stalled\":").append(stall == null ? "null" : quote(stall));
    return out.append('}').toString();
  }

  private double rate(Sample now) {
    Sample[] pair = samples.get();
    Sample older = pair[0];
    if (now.nanos() - pair[1].nanos() >= RATE_WINDOW_NANOS) {
      older = pair[1];
      samples.compareAndSet(pair, new Sample[] {pair[1], now}); // lost race: another request rotated it
    }
    long elapsed = now.nanos() - older.nanos();
    return elapsed <= 0 ? 0 : (now.rows() - older.rows()) * 1e9 / elapsed;
  }

  private static String quote(String s) {
    return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }
}

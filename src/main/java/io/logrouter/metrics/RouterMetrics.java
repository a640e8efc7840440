package io.logrouter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every meter the router exports at {@code GET /metrics} (Prometheus text, via Micrometer).
 * Meters are created once; recording on the ingest path is a striped add, never a lock.
 */
public final class RouterMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final Counter eventsReceived;
  private final Counter bytesReceived;
  private final Timer ackLatency;
  private final Timer flushDuration;
  private final DistributionSummary flushRows;
  private final DistributionSummary flushBytes;
  private final Counter rowsWritten;
  private final Counter rowsRejected;
  private final Counter dbErrorsTransient;
  private final Counter flushWritesAborted;
  private final Counter dbErrorsPermanent;
  private final Counter queueDamaged;
  private final Counter deduplicated;
  /** Wall-clock time of the last committed flush, 0 before the first: the explorer's status strip. */
  private volatile long lastFlushEpochMillis;

  public RouterMetrics() {
    this(true);
  }

  /**
   * Meters for a server that is not the router's own (the start-up warm-up's, see {@code io.logrouter.warmup}):
   * never exported, and without the JVM's meters, whose GC listener would outlive the server.
   */
  public static RouterMetrics unexported() {
    return new RouterMetrics(false);
  }

  private RouterMetrics(boolean jvmMeters) {
    if (jvmMeters) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
    }
    eventsReceived = Counter.builder("logrouter.events.received").description("Events accepted (202)").register(registry);
    bytesReceived = Counter.builder("logrouter.bytes.received").baseUnit("bytes")
        .description("Request body bytes of accepted requests, after gzip decoding").register(registry);
    ackLatency = Timer.builder("logrouter.ack.latency").description("From request body complete to 202 sent")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
    flushDuration = Timer.builder("logrouter.flush.duration").description("One committed flush transaction")
        .publishPercentileHistogram().register(registry);
    // Histograms (buckets) so size quantiles can be computed across instances; the range spans one
    // event to the largest flush (flush.max.bytes tops out well below 1 GB / a few million rows).
    flushRows = DistributionSummary.builder("logrouter.flush.rows").description("Events per committed flush")
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(10_000_000.0)
        .register(registry);
    flushBytes = DistributionSummary.builder("logrouter.flush.bytes").baseUnit("bytes")
        .description("Queue bytes per committed flush")
        .publishPercentileHistogram().minimumExpectedValue(64.0).maximumExpectedValue((double) (1L << 30))
        .register(registry);
    rowsWritten = Counter.builder("logrouter.rows.written").description("Rows committed into logs").register(registry);
    rowsRejected = Counter.builder("logrouter.rows.rejected").description("Rows written to logs_rejected")
        .register(registry);
    dbErrorsTransient = Counter.builder("logrouter.db.errors").tag("kind", "transient")
        .description("Failed flush attempts").register(registry);
    dbErrorsPermanent = Counter.builder("logrouter.db.errors").tag("kind", "permanent").register(registry);
    flushWritesAborted = Counter.builder("logrouter.flush.writes.aborted")
        .description("Flush statements whose connection was aborted: the database took none of their bytes for"
            + " flush.write.timeout").register(registry);
    deduplicated = Counter.builder("logrouter.events.deduplicated")
        .description("Events not stored again: their Idempotency-Key or event key was already stored").register(registry);
    queueDamaged = Counter.builder("logrouter.queue.damaged.documents")
        .description("Queue documents found damaged, quarantined and reported in logs_rejected").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("logrouter.thread.failures", this,
            m -> io.logrouter.threads.RouterThreads.failures())
        .description("Background thread deaths, failed periodic runs and supervised restarts").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  public void accepted(int events, long bodyBytes, long latencyNanos) {
    eventsReceived.increment(events);
    bytesReceived.increment(bodyBytes);
    ackLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a finished request by route and status. */
  public void request(String route, int status) {
    requestCounter(route, status).increment();
  }

  /** The counter of one route and status; callers on the hot path resolve theirs once. */
  public Counter requestCounter(String route, int status) {
    String key = route + ' ' + status;
    Counter counter = requests.get(key);
    if (counter == null) {
      counter = requests.computeIfAbsent(key, k -> Counter.builder("logrouter.http.requests")
          .tag("route", route).tag("status", Integer.toString(status)).register(registry));
    }
    return counter;
  }

  public void flushed(int rows, int rejected, long bytes, long durationNanos) {
    flushDuration.record(durationNanos, TimeUnit.NANOSECONDS);
    flushRows.record(rows + rejected);
    flushBytes.record(bytes);
    rowsWritten.increment(rows);
    rowsRejected.increment(rejected);
    lastFlushEpochMillis = System.currentTimeMillis();
  }

  /** When the last flush committed (epoch ms), 0 when none has since start. */
  public long lastFlushEpochMillis() {
    return lastFlushEpochMillis;
  }

  /** Rows committed into logs since start. */
  public double rowsWritten() {
    return rowsWritten.count();
  }

  /** Events not stored because their request or event key was already stored (a retry). */
  public void deduplicated(int events) {
    deduplicated.increment(events);
  }

  /** Damaged queue documents reported in logs_rejected (their events are lost, not flushed). */
  public void queueDamaged(int documents) {
    queueDamaged.increment(documents);
  }

  /** A flush statement the database stopped reading was aborted (flush.write.timeout). */
  public void flushWriteAborted() {
    flushWritesAborted.increment();
  }

  public void dbError(boolean permanent) {
    (permanent ? dbErrorsPermanent : dbErrorsTransient).increment();
  }

  /** A tagged counter, registered on first call (the same one on later calls): resolve it once, then increment. */
  public Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).description(description).tag(tag, value).register(registry);
  }

  /** Registers a gauge read at scrape time. */
  public <T> void gauge(String name, String description, T target, ToDoubleFunction<T> value) {
    Gauge.builder(name, target, value).description(description).register(registry);
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }
}

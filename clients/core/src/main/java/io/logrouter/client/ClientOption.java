package io.logrouter.client;

import java.util.Locale;

/**
 * Every client option: its name (the same in logback.xml, log4j2.xml and {@link ClientConfig}), its
 * default and its doc, in one place. The README's option table is generated from / checked against
 * this enum (ClientOptionDocsTest).
 */
public enum ClientOption {
  URLS("urls", "http://127.0.0.1:8080/log",
      "Comma-separated router URLs (`/log` is added when a URL has no path). The first is preferred; on failure the next is tried, and the first again after `failbackAfterMs`."),
  SOURCE("source", "",
      "Fixed `source` of every event (e.g. the service name). Empty: the logger name is the source. When set, the logger name goes into the `logger` attribute."),
  BUFFER_BYTES("bufferBytes", "8388608",
      "Bound of the in-memory buffer of captured events, in bytes: each event counts for its estimated NDJSON size (string lengths plus field overhead; the sender encodes it later). A full buffer applies `overflow`."),
  OVERFLOW("overflow", "drop",
      "`drop`: a full buffer drops the event (counted as `buffer_full`); the application never waits. `block`: the logging call waits up to `blockMaxWaitMs` for room, then drops (counted as `block_timeout`)."),
  BLOCK_MAX_WAIT_MS("blockMaxWaitMs", "1000", "With `overflow=block`: the longest a logging call waits for room."),
  BATCH_MAX_EVENTS("batchMaxEvents", "5000", "A batch is sent when it holds this many events (the router's limit per request is 10000)."),
  BATCH_MAX_BYTES("batchMaxBytes", "1048576", "... or this many bytes of NDJSON before gzip (keep it under the router's `http.max.body.bytes`)."),
  LINGER_MS("lingerMs", "200", "... or when its first event has waited this long."),
  MAX_IN_FLIGHT("maxInFlight", "2",
      "Requests in flight at once (one sender thread each; one of them assembles the next batch while the others wait on the router). Each batch has its own Idempotency-Key. With more than 1, batches may land out of order (events keep their timestamps); `1` keeps the order."),
  CONNECT_TIMEOUT_MS("connectTimeoutMs", "2000", "TCP connect timeout per request."),
  REQUEST_TIMEOUT_MS("requestTimeoutMs", "10000", "Read timeout per request; a timeout is retried with the same Idempotency-Key."),
  RETRY_INITIAL_MS("retryInitialMs", "100", "First retry back-off; doubles per attempt, with full jitter, capped by `retryMaxMs`. A `Retry-After` answer is honoured (capped too)."),
  RETRY_MAX_MS("retryMaxMs", "10000", "Cap of the retry back-off."),
  FAILBACK_AFTER_MS("failbackAfterMs", "30000", "After a failover, the first URL is tried again once this long has passed."),
  SPILL_DIR("spillDir", "", "Directory for spill files. Empty: no spill (batches wait in memory and the buffer's overflow rule applies)."),
  SPILL_AFTER_MS("spillAfterMs", "10000", "Batches go to the spill directory once every router has been unreachable for this long; replayed in order, with their original Idempotency-Key, when one answers."),
  SPILL_MAX_BYTES("spillMaxBytes", "268435456", "Bound of the spill directory (gzip bytes). Beyond it batches are dropped (counted as `spill_full`)."),
  SHUTDOWN_TIMEOUT_MS("shutdownTimeoutMs", "10000", "On stop (LoggerContext.stop(), JVM shutdown): the longest spent flushing the buffer. What is left is spilled when a spill directory is set, else dropped (counted as `shutdown`)."),
  SHUTDOWN_HOOK("shutdownHook", "true", "Register a JVM shutdown hook that stops the client (flushes) even when the logging system is not stopped."),
  API_KEY("apiKey", "", "Sent as `Authorization: Bearer <key>` when the router has `auth.api.keys`."),
  WARN_INTERVAL_MS("warnIntervalMs", "60000", "At most one warning per kind (rejected batch, router unreachable, drops) per interval on the logging system's status channel."),
  NAME("name", "log-router", "Names the sender thread, the JMX bean `io.logrouter.client:type=LogRouterClient,name=<name>` and the Micrometer `client` tag.");

  private final String key;
  private final String defaultValue;
  private final String doc;

  ClientOption(String key, String defaultValue, String doc) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** The option named {@code key} (case-insensitive), for appenders that receive names as text. */
  public static ClientOption byKey(String key) {
    for (ClientOption o : values()) {
      if (o.key.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown log-router client option: " + key);
  }
}

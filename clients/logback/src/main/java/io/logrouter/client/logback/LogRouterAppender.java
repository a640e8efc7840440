package io.logrouter.client.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.FilterReply;
import io.logrouter.client.ClientConfig;
import io.logrouter.client.ClientOption;
import io.logrouter.client.Event;
import io.logrouter.client.EventBuilder;
import io.logrouter.client.LogRouterClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Logback appender for log-router: {@code <appender class="io.logrouter.client.logback.LogRouterAppender">}.
 * Unsynchronized (no appender lock): the logging thread captures the event (the strings Logback
 * already made, copies of the MDC and key-value pairs) and queues it; the client's own thread
 * encodes and sends. Every {@link ClientOption} is a child element of the same name.
 */
public class LogRouterAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** A rendered frame, "\tat package.Class.method(File.java:123)\n", about. */
  private static final int STACK_LINE_BYTES = 80;
  private final ClientConfig.Builder options = ClientConfig.builder();
  private volatile LogRouterClient client;
  private String fixedSource = "";
  /** False once the context proved to have no MDC adapter: no exception per event after that. */
  private volatile boolean mdcAvailable = true;
  /** Per thread: true while this thread is inside {@link #doAppend} (Logback's re-entry guard). */
  private final ThreadLocal<boolean[]> appending = ThreadLocal.withInitial(() -> new boolean[1]);
  /** Status lines written for appends to a stopped appender, and for appends that threw (at most 3 each, as Logback). */
  private int notStartedWarnings;
  private int failureWarnings;

  @Override
  public void start() {
    try {
      ClientConfig config = options.set(ClientOption.NAME, getName()).build(); // the appender's name names the client
      fixedSource = config.source();
      client = new LogRouterClient(config, (message, error) -> addWarn(message, error));
      super.start();
    } catch (RuntimeException e) {
      addError("log-router appender not started: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    super.stop();
    LogRouterClient c = client;
    if (c != null) {
      c.close(); // flushes, bounded by shutdownTimeoutMs
    }
  }

  /**
   * Logback's {@code UnsynchronizedAppenderBase.doAppend}, with the same re-entry guard (an event
   * logged by a toString called while this thread captures one is dropped, as Logback drops it, so
   * a toString that logs itself cannot recurse without end) kept in a mutable per-thread flag: one
   * thread-local look-up per call instead of Logback's look-up and two stores, the largest part of
   * the call that is not ours (about a fifth of a dropped call's samples).
   */
  @Override
  public void doAppend(ILoggingEvent event) {
    boolean[] inAppend = appending.get();
    if (inAppend[0]) {
      return;
    }
    inAppend[0] = true;
    try {
      if (!isStarted()) {
        if (notStartedWarnings++ < 3) {
          addWarn("Attempted to append to non started appender [" + getName() + "].");
        }
      } else if (getFilterChainDecision(event) != FilterReply.DENY) {
        append(event);
      }
    } catch (RuntimeException e) {
      if (failureWarnings++ < 3) {
        addError("Appender [" + getName() + "] failed to append.", e);
      }
    } finally {
      inAppend[0] = false;
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    LogRouterClient c = client;
    if (c.droppedBeforeCapture()) {
      return;
    }
    EventBuilder b = c.event();
    try {
      Instant t = event.getInstant();
      String logger = event.getLoggerName();
      b.begin(t.getEpochSecond(), t.getNano(), event.getLevel().toString(),
          fixedSource.isEmpty() ? logger : fixedSource, event.getFormattedMessage());
      b.thread(event.getThreadName());
      if (!fixedSource.isEmpty()) {
        b.logger(logger);
      }
      Map<String, String> mdc = mdcAvailable ? mdc(event) : null;
      if (mdc != null && !mdc.isEmpty()) {
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          b.attribute(e.getKey(), e.getValue());
        }
      }
      List<KeyValuePair> kvs = event.getKeyValuePairs();
      if (kvs != null) {
        for (KeyValuePair kv : kvs) {
          b.attribute(kv.key, kv.value);
        }
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        b.stackTrace(deferred(thrown), estimatedLength(thrown));
      }
    } catch (RuntimeException e) {
      c.abandon(b, e);
      return;
    }
    c.append(b);
  }

  /**
   * Rendered by the sender: Logback's ThrowableProxy is a snapshot taken when the event was made
   * (class, message, frames, causes, suppressed), never changed afterwards, so rendering it later
   * on another thread gives the same text; Logback's AsyncAppender relies on the same.
   */
  private static Event.StackTrace deferred(IThrowableProxy thrown) {
    return () -> ThrowableProxyUtil.asString(thrown);
  }

  /** About the rendered length: a line per frame of the exception and its causes, plus messages. */
  private static int estimatedLength(IThrowableProxy thrown) {
    int n = 0;
    int depth = 0;
    for (IThrowableProxy p = thrown; p != null && depth < 64; p = p.getCause(), depth++) {
      String m = p.getMessage();
      n += 80 + (m == null ? 0 : m.length()) + STACK_LINE_BYTES * p.getStackTraceElementProxyArray().length;
    }
    return n;
  }

  /** The event's MDC; none when its context has no MDC adapter (a LoggerContext built by hand). */
  private Map<String, String> mdc(ILoggingEvent event) {
    try {
      return event.getMDCPropertyMap();
    } catch (NullPointerException noMdcAdapter) {
      mdcAvailable = false;
      return null;
    }
  }

  /** The running client (counters, for tests and health checks); null before start. */
  public LogRouterClient client() {
    return client;
  }

  public void setUrls(String v) { options.set(ClientOption.URLS, v); }
  /** Same as {@code urls}, for a single router. */
  public void setUrl(String v) { options.set(ClientOption.URLS, v); }
  public void setSource(String v) { options.set(ClientOption.SOURCE, v); }
  public void setBufferBytes(String v) { options.set(ClientOption.BUFFER_BYTES, v); }
  public void setOverflow(String v) { options.set(ClientOption.OVERFLOW, v); }
  public void setBlockMaxWaitMs(String v) { options.set(ClientOption.BLOCK_MAX_WAIT_MS, v); }
  public void setBatchMaxEvents(String v) { options.set(ClientOption.BATCH_MAX_EVENTS, v); }
  public void setBatchMaxBytes(String v) { options.set(ClientOption.BATCH_MAX_BYTES, v); }
  public void setLingerMs(String v) { options.set(ClientOption.LINGER_MS, v); }
  public void setMaxInFlight(String v) { options.set(ClientOption.MAX_IN_FLIGHT, v); }
  public void setConnectTimeoutMs(String v) { options.set(ClientOption.CONNECT_TIMEOUT_MS, v); }
  public void setRequestTimeoutMs(String v) { options.set(ClientOption.REQUEST_TIMEOUT_MS, v); }
  public void setRetryInitialMs(String v) { options.set(ClientOption.RETRY_INITIAL_MS, v); }
  public void setRetryMaxMs(String v) { options.set(ClientOption.RETRY_MAX_MS, v); }
  public void setFailbackAfterMs(String v) { options.set(ClientOption.FAILBACK_AFTER_MS, v); }
  public void setSpillDir(String v) { options.set(ClientOption.SPILL_DIR, v); }
  public void setSpillAfterMs(String v) { options.set(ClientOption.SPILL_AFTER_MS, v); }
  public void setSpillMaxBytes(String v) { options.set(ClientOption.SPILL_MAX_BYTES, v); }
  public void setShutdownTimeoutMs(String v) { options.set(ClientOption.SHUTDOWN_TIMEOUT_MS, v); }
  public void setShutdownHook(String v) { options.set(ClientOption.SHUTDOWN_HOOK, v); }
  public void setApiKey(String v) { options.set(ClientOption.API_KEY, v); }
  public void setWarnIntervalMs(String v) { options.set(ClientOption.WARN_INTERVAL_MS, v); }
}

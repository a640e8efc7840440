package io.logrouter.client.log4j2;

import io.logrouter.client.ClientConfig;
import io.logrouter.client.ClientOption;
import io.logrouter.client.Event;
import io.logrouter.client.EventBuilder;
import io.logrouter.client.LogRouterClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.time.Instant;
import org.apache.logging.log4j.status.StatusLogger;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.TriConsumer;

/**
 * Log4j2 appender for log-router: {@code <LogRouter name="router" urls="http://..."/>}. The logging
 * thread captures the event (copies of what a reusable LogEvent holds) and queues it; the client's
 * own thread encodes and sends. Every
 * {@link ClientOption} is an attribute of the same name. SLF4J 2 key-value pairs arrive through
 * log4j-slf4j2-impl as context data, so they are written like ThreadContext entries.
 */
@Plugin(name = "LogRouter", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class LogRouterAppender extends AbstractAppender {
  private static final TriConsumer<String, Object, EventBuilder> COPY_ATTRIBUTE = (k, v, b) -> b.attribute(k, v);
  private final LogRouterClient client;
  private final String fixedSource;

  private LogRouterAppender(String name, Filter filter, ClientConfig config) {
    super(name, filter, null, true, Property.EMPTY_ARRAY);
    this.fixedSource = config.source();
    this.client = new LogRouterClient(config, (message, error) -> StatusLogger.getLogger().warn(message, error));
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public void append(LogEvent event) {
    if (client.droppedBeforeCapture()) {
      return;
    }
    EventBuilder b = client.event();
    try {
      Instant t = event.getInstant();
      String logger = event.getLoggerName();
      b.begin(t.getEpochSecond(), t.getNanoOfSecond(), event.getLevel().name(),
          fixedSource.isEmpty() ? logger : fixedSource, event.getMessage().getFormattedMessage());
      b.thread(event.getThreadName());
      if (!fixedSource.isEmpty()) {
        b.logger(logger);
      }
      ReadOnlyStringMap context = event.getContextData();
      if (context != null && !context.isEmpty()) {
        context.forEach(COPY_ATTRIBUTE, b); // copied now: a reusable LogEvent's map changes after this call
      }
      Throwable thrown = event.getThrown();
      if (thrown != null) {
        // Rendered now, not by the sender: unlike Logback's ThrowableProxy this is the live
        // Throwable, which the application may still change (addSuppressed, initCause, a message
        // read from mutable state).
        StringWriter sw = new StringWriter();
        thrown.printStackTrace(new PrintWriter(sw));
        String text = sw.toString();
        b.stackTrace(Event.StackTrace.of(text), text.length());
      }
    } catch (RuntimeException e) {
      client.abandon(b, e);
      return;
    }
    client.append(b);
  }

  @Override
  public boolean stop(long timeout, TimeUnit unit) {
    setStopping();
    client.close(); // flushes, bounded by shutdownTimeoutMs
    setStopped();
    return true;
  }

  /** The running client (counters, for tests and health checks). */
  public LogRouterClient client() {
    return client;
  }

  /** Attributes of {@code <LogRouter>}; names are {@link ClientOption} keys. */
  public static final class Builder implements org.apache.logging.log4j.core.util.Builder<LogRouterAppender> {
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String name;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String urls;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String url;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String source;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String bufferBytes;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String overflow;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String blockMaxWaitMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String batchMaxEvents;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String batchMaxBytes;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String lingerMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String maxInFlight;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String connectTimeoutMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String requestTimeoutMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String retryInitialMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String retryMaxMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String failbackAfterMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String spillDir;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String spillAfterMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String spillMaxBytes;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String shutdownTimeoutMs;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String shutdownHook;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String apiKey;
    @PluginBuilderAttribute @SuppressWarnings("log4j.public.setter") private String warnIntervalMs;
    @org.apache.logging.log4j.core.config.plugins.PluginElement("Filter") @SuppressWarnings("log4j.public.setter") private Filter filter;

    public Builder set(ClientOption option, String value) {
      switch (option) {
        case URLS -> urls = value;
        case SOURCE -> source = value;
        case BUFFER_BYTES -> bufferBytes = value;
        case OVERFLOW -> overflow = value;
        case BLOCK_MAX_WAIT_MS -> blockMaxWaitMs = value;
        case BATCH_MAX_EVENTS -> batchMaxEvents = value;
        case BATCH_MAX_BYTES -> batchMaxBytes = value;
        case LINGER_MS -> lingerMs = value;
        case MAX_IN_FLIGHT -> maxInFlight = value;
        case CONNECT_TIMEOUT_MS -> connectTimeoutMs = value;
        case REQUEST_TIMEOUT_MS -> requestTimeoutMs = value;
        case RETRY_INITIAL_MS -> retryInitialMs = value;
        case RETRY_MAX_MS -> retryMaxMs = value;
        case FAILBACK_AFTER_MS -> failbackAfterMs = value;
        case SPILL_DIR -> spillDir = value;
        case SPILL_AFTER_MS -> spillAfterMs = value;
        case SPILL_MAX_BYTES -> spillMaxBytes = value;
        case SHUTDOWN_TIMEOUT_MS -> shutdownTimeoutMs = value;
        case SHUTDOWN_HOOK -> shutdownHook = value;
        case API_KEY -> apiKey = value;
        case WARN_INTERVAL_MS -> warnIntervalMs = value;
        case NAME -> name = value;
      }
      return this;
    }

    @Override
    public LogRouterAppender build() {
      if (name == null || name.isBlank()) {
        StatusLogger.getLogger().error("LogRouter appender needs a name");
        return null;
      }
      try {
        ClientConfig config = ClientConfig.builder()
            .set(ClientOption.NAME, name)
            .set(ClientOption.URLS, urls != null ? urls : url)
            .set(ClientOption.SOURCE, source).set(ClientOption.BUFFER_BYTES, bufferBytes)
            .set(ClientOption.OVERFLOW, overflow).set(ClientOption.BLOCK_MAX_WAIT_MS, blockMaxWaitMs)
            .set(ClientOption.BATCH_MAX_EVENTS, batchMaxEvents).set(ClientOption.BATCH_MAX_BYTES, batchMaxBytes)
            .set(ClientOption.LINGER_MS, lingerMs).set(ClientOption.MAX_IN_FLIGHT, maxInFlight)
            .set(ClientOption.CONNECT_TIMEOUT_MS, connectTimeoutMs)
            .set(ClientOption.REQUEST_TIMEOUT_MS, requestTimeoutMs).set(ClientOption.RETRY_INITIAL_MS, retryInitialMs)
            .set(ClientOption.RETRY_MAX_MS, retryMaxMs).set(ClientOption.FAILBACK_AFTER_MS, failbackAfterMs)
            .set(ClientOption.SPILL_DIR, spillDir).set(ClientOption.SPILL_AFTER_MS, spillAfterMs)
            .set(ClientOption.SPILL_MAX_BYTES, spillMaxBytes).set(ClientOption.SHUTDOWN_TIMEOUT_MS, shutdownTimeoutMs)
            .set(ClientOption.SHUTDOWN_HOOK, shutdownHook).set(ClientOption.API_KEY, apiKey)
            .set(ClientOption.WARN_INTERVAL_MS, warnIntervalMs)
            .build();
        return new LogRouterAppender(name, filter, config);
      } catch (RuntimeException e) {
        StatusLogger.getLogger().error("LogRouter appender {} not started: {}", name, e.getMessage(), e);
        return null;
      }
    }
  }
}

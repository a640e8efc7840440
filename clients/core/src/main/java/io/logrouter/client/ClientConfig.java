package io.logrouter.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The client's settings, parsed and checked once; names and defaults live in {@link ClientOption}. */
public final class ClientConfig {
  private final Map<ClientOption, String> values;
  private final List<URI> urls;

  private ClientConfig(Map<ClientOption, String> values) {
    this.values = values;
    this.urls = parseUrls(text(ClientOption.URLS));
    positive(ClientOption.BUFFER_BYTES);
    positive(ClientOption.BATCH_MAX_EVENTS);
    positive(ClientOption.BATCH_MAX_BYTES);
    positive(ClientOption.LINGER_MS);
    positive(ClientOption.MAX_IN_FLIGHT);
    positive(ClientOption.RETRY_INITIAL_MS);
    positive(ClientOption.RETRY_MAX_MS);
    overflow();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static ClientConfig defaults() {
    return builder().build();
  }

  public List<URI> urls() {
    return urls;
  }

  /** Empty when the logger name is the source. */
  public String source() {
    return text(ClientOption.SOURCE).trim();
  }

  public long bufferBytes() {
    return number(ClientOption.BUFFER_BYTES);
  }

  public Overflow overflow() {
    String v = text(ClientOption.OVERFLOW).trim().toUpperCase(Locale.ROOT);
    try {
      return Overflow.valueOf(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("overflow must be drop or block, not " + text(ClientOption.OVERFLOW));
    }
  }

  public long blockMaxWaitMs() {
    return number(ClientOption.BLOCK_MAX_WAIT_MS);
  }

  public int batchMaxEvents() {
    return (int) number(ClientOption.BATCH_MAX_EVENTS);
  }

  public int batchMaxBytes() {
    return (int) number(ClientOption.BATCH_MAX_BYTES);
  }

  public long lingerMs() {
    return number(ClientOption.LINGER_MS);
  }

  public int maxInFlight() {
    return (int) number(ClientOption.MAX_IN_FLIGHT);
  }

  public int connectTimeoutMs() {
    return (int) number(ClientOption.CONNECT_TIMEOUT_MS);
  }

  public int requestTimeoutMs() {
    return (int) number(ClientOption.REQUEST_TIMEOUT_MS);
  }

  public long retryInitialMs() {
    return number(ClientOption.RETRY_INITIAL_MS);
  }

  public long retryMaxMs() {
    return number(ClientOption.RETRY_MAX_MS);
  }

  public long failbackAfterMs() {
    return number(ClientOption.FAILBACK_AFTER_MS);
  }

  /** Null when spilling is off. */
  public Path spillDir() {
    String dir = text(ClientOption.SPILL_DIR).trim();
    return dir.isEmpty() ? null : Path.of(dir);
  }

  public long spillAfterMs() {
    return number(ClientOption.SPILL_AFTER_MS);
  }

  public long spillMaxBytes() {
    return number(ClientOption.SPILL_MAX_BYTES);
  }

  public long shutdownTimeoutMs() {
    return number(ClientOption.SHUTDOWN_TIMEOUT_MS);
  }

  public boolean shutdownHook() {
    return Boolean.parseBoolean(text(ClientOption.SHUTDOWN_HOOK).trim());
  }

  public String apiKey() {
    return text(ClientOption.API_KEY).trim();
  }

  public long warnIntervalMs() {
    return number(ClientOption.WARN_INTERVAL_MS);
  }

  public String name() {
    return text(ClientOption.NAME).trim();
  }

  private String text(ClientOption o) {
    return values.getOrDefault(o, o.defaultValue());
  }

  private long number(ClientOption o) {
    String v = text(o).trim();
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new IllegalArgumentException(o.key() + " must not be negative: " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(o.key() + " must be a whole number, not '" + v + "'");
    }
  }

  private void positive(ClientOption o) {
    if (number(o) == 0) {
      throw new IllegalArgumentException(o.key() + " must be > 0");
    }
  }

  private static List<URI> parseUrls(String text) {
    List<URI> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      URI u = URI.create(p);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException("urls: not an http(s) URL: " + p);
      }
      if (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/")) {
        u = u.resolve("/log");
      }
      out.add(u);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("urls: at least one router URL is needed");
    }
    return List.copyOf(out);
  }

  /** Collects option values as text (what logback.xml / log4j2.xml hold); {@link #build()} checks them. */
  public static final class Builder {
    private final Map<ClientOption, String> values = new EnumMap<>(ClientOption.class);

    public Builder set(ClientOption option, String value) {
      if (value != null) {
        values.put(option, value);
      }
      return this;
    }

    public Builder set(ClientOption option, long value) {
      return set(option, Long.toString(value));
    }

    public Builder set(String key, String value) {
      return set(ClientOption.byKey(key), value);
    }

    public ClientConfig build() {
      return new ClientConfig(new EnumMap<>(values)); // EnumMap's copy constructor accepts an empty EnumMap
    }
  }
}

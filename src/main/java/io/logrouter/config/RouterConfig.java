package io.logrouter.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The validated, immutable configuration. Values come from, lowest to highest precedence: the
 * defaults in {@link ConfigKeys}, the properties file, {@code LOGROUTER_*} environment variables,
 * and explicit overrides (tests, the dev launcher). Any invalid value stops start-up with a
 * {@link ConfigException} that names the key.
 */
public final class RouterConfig {
  private final Map<ConfigKey<?>, Object> values;
  private final Map<ConfigKey<?>, String> texts;

  private RouterConfig(Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, String> texts) {
    this.values = values;
    this.texts = texts;
  }

  /**
   * @param file properties file; null for none (a path that does not exist is an error: a typo in
   *     {@code --config} must not start the router on defaults)
   * @param env environment variables, normally {@code System.getenv()}; a {@code LOGROUTER_*} name
   *     that is no key's (and not in {@link #OTHER_ENV}) is an error naming the nearest key
   * @param overrides key name → value, applied last
   */
  public static RouterConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> raw = new HashMap<>();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("--config: " + file + ": no such file");
      }
      raw.putAll(readProperties(file));
    }
    Map<String, ConfigKey<?>> byEnvName = new HashMap<>();
    ConfigKeys.ALL.forEach(k -> byEnvName.put(k.envName(), k));
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      ConfigKey<?> key = byEnvName.get(e.getKey());
      if (key != null) {
        raw.put(key.name(), e.getValue());
      } else if (e.getKey().startsWith("LOGROUTER_") && !isOtherEnv(e.getKey())) {
        throw new ConfigException(e.getKey() + ": " + e.getValue() + ": not a log-router variable; did you mean "
            + KeyNames.nearest(e.getKey(), byEnvName.keySet()) + "?");
      }
    }
    raw.putAll(overrides);
    return resolve(raw);
  }

  /** {@code LOGROUTER_*} variables that are not config keys: read by Main, logback.xml, scripts and tests. */
  static final Set<String> OTHER_ENV = Set.of("LOGROUTER_CONFIG", "LOGROUTER_LOG_FORMAT", "LOGROUTER_LOG_LEVEL",
      "LOGROUTER_EMBEDDED_DB_PORT", "LOGROUTER_STATE_DIR");

  private static boolean isOtherEnv(String name) {
    return OTHER_ENV.contains(name) || name.startsWith("LOGROUTER_TEST_");
  }

  /** Defaults plus {@code overrides} only: what tests use. */
  public static RouterConfig of(Map<String, String> overrides) {
    return load(null, Map.of(), overrides);
  }

  private static RouterConfig resolve(Map<String, String> raw) {
    Map<String, ConfigKey<?>> byName = new HashMap<>();
    ConfigKeys.ALL.forEach(k -> byName.put(k.name(), k));
    for (String name : new TreeMap<>(raw).keySet()) {
      if (!byName.containsKey(name)) {
        throw new ConfigException(name + ": " + raw.get(name) + ": not a log-router key; did you mean "
            + KeyNames.nearest(name, byName.keySet()) + "?");
      }
    }
    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    Map<ConfigKey<?>, String> texts = new LinkedHashMap<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      String text = raw.getOrDefault(key.name(), key.defaultValue());
      values.put(key, key.parse(text));
      texts.put(key, text);
    }
    if (((String) values.get(ConfigKeys.ROUTER_ID)).isBlank()) {
      values.put(ConfigKeys.ROUTER_ID, hostName());
    }
    RouterConfig config = new RouterConfig(values, texts);
    config.checkRelations();
    return config;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key);
  }

  /** The value as it was written (e.g. {@code 30s}, {@code 10MB}): for messages people read. */
  public String text(ConfigKey<?> key) {
    return texts.get(key);
  }

  /** The effective configuration as one line, with secrets masked: for the start-up log. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<ConfigKey<?>, String> e : texts.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      String shown = isSecret(e.getKey()) && !e.getValue().isEmpty() ? "****" : e.getValue();
      if (e.getKey() == ConfigKeys.ROUTER_ID) {
        shown = get(ConfigKeys.ROUTER_ID);
      }
      sb.append(e.getKey().name()).append('=').append(shown);
    }
    return sb.toString();
  }

  /** Passwords and API keys never reach the log. */
  private static boolean isSecret(ConfigKey<?> key) {
    return key.name().contains("password") || key == ConfigKeys.AUTH_API_KEYS;
  }

  private void checkRelations() {
    String id = get(ConfigKeys.ROUTER_ID);
    if (id.length() > 64) {
      throw new ConfigException("router.id: " + id + ": at most 64 characters (router_offsets.router_id)");
    }
    if (get(ConfigKeys.FLUSH_RETRY_INITIAL).compareTo(get(ConfigKeys.FLUSH_RETRY_MAX)) > 0) {
      throw bad(ConfigKeys.FLUSH_RETRY_INITIAL, "at most flush.retry.max (" + texts.get(ConfigKeys.FLUSH_RETRY_MAX) + ")");
    }
    if (get(ConfigKeys.FLUSH_MAX_BYTES) > 256L << 20) {
      // The batch is held in memory as decoded events (about 2-3x its queue bytes on the heap).
      throw bad(ConfigKeys.FLUSH_MAX_BYTES, "at most 256MB (a batch is held in memory)");
    }
    if (get(ConfigKeys.FLUSH_STATEMENT_BYTES) < 64 * 1024) {
      // Below 64 KB a single large event could not be sent at all.
      throw bad(ConfigKeys.FLUSH_STATEMENT_BYTES, "at least 64KB");
    }
    if (get(ConfigKeys.HTTP_MAX_BODY_BYTES) > 16L << 20) {
      // One request is one queue document, and Chronicle caps a document at a quarter of its
      // 64 MB block (see buffer.EventQueue).
      throw bad(ConfigKeys.HTTP_MAX_BODY_BYTES, "at most 16MB");
    }
    if (get(ConfigKeys.EVENT_MAX_MESSAGE_BYTES) > 16L << 20) {
      throw bad(ConfigKeys.EVENT_MAX_MESSAGE_BYTES, "at most 16MB (MEDIUMTEXT)");
    }
    checkOpsRelations();
  }

  private void checkOpsRelations() {
    if (!get(ConfigKeys.HTTP_ENABLED) && get(ConfigKeys.HTTP_TLS_KEYSTORE).isBlank()) {
      throw bad(ConfigKeys.HTTP_ENABLED, "false only with http.tls.keystore set, or the router has no listener");
    }
    if (get(ConfigKeys.EVENT_MAX_ATTRIBUTES_DEPTH) > 62) {
      throw bad(ConfigKeys.EVENT_MAX_ATTRIBUTES_DEPTH, "at most 62 (MySQL refuses JSON nested past 100)");
    }
    if (get(ConfigKeys.RETENTION_DAYS) + get(ConfigKeys.RETENTION_AHEAD_DAYS) > 3660) {
      // One partition per day; MySQL caps a table at 8192 partitions and every one costs at open time.
      throw bad(ConfigKeys.RETENTION_DAYS, "with retention.ahead.days at most 3660 (ten years of daily partitions)");
    }
  }

  /** {@code key: value: what is allowed}, the one line a user sees. */
  private ConfigException bad(ConfigKey<?> key, String allowed) {
    return new ConfigException(key.name() + ": " + texts.get(key) + ": " + allowed);
  }

  private static Map<String, String> readProperties(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigException("--config: " + file + ": cannot read: " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    props.stringPropertyNames().forEach(n -> out.put(n, props.getProperty(n)));
    return out;
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "router";
    }
  }
}

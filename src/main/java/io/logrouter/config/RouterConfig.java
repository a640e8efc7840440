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
   * @param file properties file; may be null or missing (then only defaults and overrides apply)
   * @param env environment variables, normally {@code System.getenv()}
   * @param overrides key name → value, applied last
   */
  public static RouterConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> raw = new HashMap<>();
    if (file != null && Files.exists(file)) {
      raw.putAll(readProperties(file));
    }
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      String fromEnv = env.get(key.envName());
      if (fromEnv != null) {
        raw.put(key.name(), fromEnv);
      }
    }
    raw.putAll(overrides);
    return resolve(raw);
  }

  /** Defaults plus {@code overrides} only: what tests use. */
  public static RouterConfig of(Map<String, String> overrides) {
    return load(null, Map.of(), overrides);
  }

  private static RouterConfig resolve(Map<String, String> raw) {
    Map<String, ConfigKey<?>> byName = new HashMap<>();
    ConfigKeys.ALL.forEach(k -> byName.put(k.name(), k));
    for (String name : raw.keySet()) {
      if (!byName.containsKey(name)) {
        throw new ConfigException(name + ": unknown key (see config/log-router.properties for the keys)");
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
      throw new ConfigException("router.id=" + id + ": at most 64 characters (router_offsets.router_id)");
    }
    if (get(ConfigKeys.FLUSH_RETRY_INITIAL).compareTo(get(ConfigKeys.FLUSH_RETRY_MAX)) > 0) {
      throw new ConfigException("flush.retry.initial: must not exceed flush.retry.max");
    }
    if (get(ConfigKeys.FLUSH_MAX_BYTES) > 256L << 20) {
      // The batch is held in memory as decoded events (about 2-3x its queue bytes on the heap).
      throw new ConfigException("flush.max.bytes: at most 256MB (a batch is held in memory)");
    }
    if (get(ConfigKeys.FLUSH_STATEMENT_BYTES) < 64 * 1024) {
      // Below 64 KB a single large event could not be sent at all.
      throw new ConfigException("flush.statement.bytes: at least 64KB");
    }
    if (get(ConfigKeys.HTTP_MAX_BODY_BYTES) > 16L << 20) {
      // One request is one queue document, and Chronicle caps a document at a quarter of its
      // 64 MB block (see buffer.EventQueue).
      throw new ConfigException("http.max.body.bytes: at most 16MB");
    }
    if (get(ConfigKeys.EVENT_MAX_MESSAGE_BYTES) > 16L << 20) {
      throw new ConfigException("event.max.message.bytes: at most 16MB (MEDIUMTEXT)");
    }
    checkOpsRelations();
  }

  private void checkOpsRelations() {
    if (!get(ConfigKeys.HTTP_ENABLED) && get(ConfigKeys.HTTP_TLS_KEYSTORE).isBlank()) {
      throw new ConfigException("http.enabled=false: set http.tls.keystore too, or the router has no listener");
    }
    if (get(ConfigKeys.EVENT_MAX_ATTRIBUTES_DEPTH) > 62) {
      throw new ConfigException("event.max.attributes.depth: at most 62 (MySQL refuses JSON nested past 100)");
    }
    if (get(ConfigKeys.RETENTION_DAYS) + get(ConfigKeys.RETENTION_AHEAD_DAYS) > 3660) {
      // One partition per day; MySQL caps a table at 8192 partitions and every one costs at open time.
      throw new ConfigException("retention.days + retention.ahead.days: at most 3660 (ten years of daily partitions)");
    }
  }

  private static Map<String, String> readProperties(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
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

package io.logrouter.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its name, default, one-line doc and how its text becomes a value.
 * Every key the router reads is declared once, in {@link ConfigKeys}.
 */
public final class ConfigKey<T> {
  private final String name;
  private final String defaultValue;
  private final String doc;
  private final Function<String, T> parser;

  ConfigKey(String name, String defaultValue, String doc, Function<String, T> parser) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.parser = parser;
  }

  public String name() {
    return name;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** {@code db.url} → {@code LOGROUTER_DB_URL}. */
  public String envName() {
    return "LOGROUTER_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** @throws ConfigException naming this key when {@code text} is not a valid value */
  T parse(String text) {
    try {
      return parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new ConfigException(name + ": " + text + ": " + e.getMessage());
    }
  }
}

package io.logrouter.config;

/** A configuration value that cannot be used; the message names the key. Stops start-up. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}

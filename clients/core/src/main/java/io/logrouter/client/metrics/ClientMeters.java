package io.logrouter.client.metrics;

import java.util.function.LongSupplier;

/**
 * Where one client's Micrometer meters are registered: on Micrometer's global registry from the
 * start when the application has Micrometer on its classpath, or on the registry the application
 * names with {@link MicrometerMeters#bindTo}; removed when the client closes. This class names no
 * Micrometer type, so the client loads and runs without Micrometer: only {@link MicrometerMeters}
 * does, and it is loaded only once Micrometer was seen.
 */
public final class ClientMeters implements AutoCloseable {
  private static final boolean MICROMETER = micrometerPresent();

  final String client;
  final ClientCounters counters;
  final LongSupplier bufferBytes;
  final LongSupplier spillBytes;
  private AutoCloseable registration = () -> { }; // guarded by this
  private boolean closed; // guarded by this

  public ClientMeters(String client, ClientCounters counters, LongSupplier bufferBytes, LongSupplier spillBytes) {
    this.client = client;
    this.counters = counters;
    this.bufferBytes = bufferBytes;
    this.spillBytes = spillBytes;
  }

  /** True when Micrometer is on the client's classpath. */
  public static boolean micrometerAvailable() {
    return MICROMETER;
  }

  /** Registers the meters on {@code Metrics.globalRegistry}, when Micrometer is present; else does nothing. */
  public void bindToGlobalRegistryIfPresent() {
    if (MICROMETER) {
      MicrometerMeters.bindToGlobalRegistry(this);
    }
  }

  /** The {@code client} tag of every meter: the client's (appender's) name. */
  public String clientName() {
    return client;
  }

  /** Removes the current registration and keeps {@code next} (closed at once after close()). */
  synchronized void replace(AutoCloseable next) {
    closeQuietly(registration);
    registration = next;
    if (closed) {
      closeQuietly(registration);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly(registration);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // removing meters from a registry does not fail in a way worth reporting at shutdown
    }
  }

  private static boolean micrometerPresent() {
    try {
      Class.forName("io.micrometer.core.instrument.MeterRegistry", false, ClientMeters.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}

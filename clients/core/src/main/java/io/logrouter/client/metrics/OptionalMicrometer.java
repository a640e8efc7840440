package io.logrouter.client.metrics;

import java.util.function.LongSupplier;

/**
 * Binds the counters to Micrometer when the application has it. This class names no Micrometer
 * type, so loading it (and the client) never needs Micrometer on the classpath.
 */
public final class OptionalMicrometer {
  private static final boolean PRESENT = present();

  private OptionalMicrometer() {
  }

  /** Registers the meters when Micrometer is present; a no-op closeable otherwise. */
  public static AutoCloseable bindIfPresent(String client, ClientCounters counters, LongSupplier bufferBytes) {
    return PRESENT ? MicrometerMeters.bind(client, counters, bufferBytes) : () -> { };
  }

  private static boolean present() {
    try {
      Class.forName("io.micrometer.core.instrument.Metrics", false, OptionalMicrometer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}

package io.logrouter.client;

/**
 * One log event as the logging call captured it, queued for the sender, which encodes it later
 * while the application goes on (the JSON encoding is not on the application thread). Attribute
 * values are Strings, boxed integers/floats, Booleans or null: anything else was turned into its
 * String at capture, on the logging thread, exactly as an encoder there would have done.
 *
 * <p>The event is its own {@link EventBuilder} (the only subclass): one object per call, filled by
 * the logging thread and queued as it is, with no copy. Its fields are written only before
 * {@link LogRouterClient#append}; the queue's release store then publishes them to the sender
 * (happens-before), and nobody writes them again. A per-thread builder copied into an immutable
 * event cost more: a thread-local look-up, a second object, and a G1 card-mark fence for each
 * reference stored into the long-lived builder.
 */
public abstract sealed class Event permits EventBuilder {
  long epochSecond;
  int nanoOfSecond;
  String level;
  String source;
  String message;
  String thread;
  /** The logger name when a fixed source is set; else null. */
  String logger;
  /** Null when the event has no exception. */
  StackTrace stackTrace;
  /** name, value, name, value, ... in the first {@link #attributeSlots} slots; null when there are none. */
  Object[] attributes;
  int attributeSlots;
  /** What the event counts for against {@code bufferBytes}: about its NDJSON length. */
  int estimatedBytes;
  /**
   * The {@link EventBuffer}'s link to the event queued after this one: the queue's, not the
   * event's. Read and written only through EventBuffer's VarHandle (release / acquire).
   */
  Event next;

  Event() {
  }

  /** An empty event, the {@link EventBuffer}'s starting point (never sent). */
  static Event placeholder() {
    return new EventBuilder().begin(0, 0, "", "", "");
  }

  public int estimatedBytes() {
    return estimatedBytes;
  }

  /**
   * An exception's text, rendered when the event is encoded. An appender defers the rendering only
   * for an immutable snapshot of the exception (Logback's ThrowableProxy, taken when the event was
   * created); a live Throwable is rendered at capture ({@link #of(String)}).
   */
  public interface StackTrace {
    String render();

    /** An already rendered stack trace. */
    static StackTrace of(String text) {
      return () -> text;
    }
  }
}

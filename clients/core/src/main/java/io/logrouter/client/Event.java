package io.logrouter.client;

/**
 * One log event as the logging call captured it: immutable, so the sender thread can encode it
 * later while the application goes on (the JSON encoding is not on the application thread).
 * Attribute values are Strings, boxed integers/floats, Booleans or null: anything else was turned
 * into its String at capture, on the logging thread, exactly as an encoder there would have done.
 * Built by {@link EventBuilder}.
 */
public final class Event {
  final long epochSecond;
  final int nanoOfSecond;
  final String level;
  final String source;
  final String message;
  final String thread;
  /** The logger name when a fixed source is set; else null. */
  final String logger;
  /** Null when the event has no exception. */
  final StackTrace stackTrace;
  /** name, value, name, value, ...; null when there are none. */
  final Object[] attributes;
  /** What the event counts for against {@code bufferBytes}: about its NDJSON length. */
  final int estimatedBytes;
  /**
   * The {@link EventBuffer}'s link to the event queued after this one: the queue's, not the
   * event's. Read and written only through EventBuffer's VarHandle (release / acquire).
   */
  Event next;

  Event(EventBuilder b, Object[] attributes) {
    this.epochSecond = b.epochSecond;
    this.nanoOfSecond = b.nanoOfSecond;
    this.level = b.level;
    this.source = b.source;
    this.message = b.message;
    this.thread = b.thread;
    this.logger = b.logger;
    this.stackTrace = b.stackTrace;
    this.attributes = attributes;
    this.estimatedBytes = b.estimatedBytes;
  }

  private Event() {
    this.epochSecond = 0;
    this.nanoOfSecond = 0;
    this.level = "";
    this.source = "";
    this.message = "";
    this.thread = null;
    this.logger = null;
    this.stackTrace = null;
    this.attributes = null;
    this.estimatedBytes = 0;
  }

  /** An empty event, the {@link EventBuffer}'s starting point (never sent). */
  static Event placeholder() {
    return new Event();
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

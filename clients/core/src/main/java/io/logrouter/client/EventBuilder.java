package io.logrouter.client;

import java.util.Arrays;

/**
 * Captures one event on the logging thread: no JSON, no bytes, only references to the strings the
 * logging system already made, a copy of the attributes, and a size estimate from string lengths
 * (what the event counts for against {@code bufferBytes}). A new builder per call, and the builder
 * is the queued {@link Event} itself (see there why); usage:
 *
 * <pre>{@code
 * EventBuilder b = client.event().begin(sec, nanos, "INFO", "checkout", "paid");
 * b.thread("main").attribute("order", 42);
 * client.append(b); // b is the client's from here on: do not touch it again
 * }</pre>
 */
public final class EventBuilder extends Event {
  /** The fixed part of a line: braces, quotes, field names, the 27-character timestamp. */
  static final int LINE_OVERHEAD = 80;
  /** Per attribute: quotes, colon, comma. */
  static final int ATTRIBUTE_OVERHEAD = 6;
  /** A number or boolean, printed. */
  static final int SCALAR_BYTES = 20;
  /** Room for four attributes at first (a typical MDC); doubled when more come. */
  private static final int FIRST_ATTRIBUTE_SLOTS = 8;

  EventBuilder() {
  }

  /**
   * Starts the event. {@code nanoOfSecond} is kept to the microsecond (the router stores
   * DATETIME(6)). {@code source} is the fixed source or the logger name.
   */
  public EventBuilder begin(long epochSecond, int nanoOfSecond, String level, String source, String message) {
    this.epochSecond = epochSecond;
    this.nanoOfSecond = nanoOfSecond;
    this.level = level;
    this.source = source;
    this.message = message == null ? "" : message;
    this.estimatedBytes = LINE_OVERHEAD + length(level) + length(source) + this.message.length();
    return this;
  }

  public EventBuilder thread(String name) {
    thread = name;
    estimatedBytes += length(name) + ATTRIBUTE_OVERHEAD + 6;
    return this;
  }

  /** The logger name, written as the {@code logger} attribute (when a fixed source is set). */
  public EventBuilder logger(String name) {
    logger = name;
    estimatedBytes += length(name) + ATTRIBUTE_OVERHEAD + 6;
    return this;
  }

  /** The exception's text; {@code estimatedBytes} is what it counts for until it is rendered. */
  public EventBuilder stackTrace(Event.StackTrace trace, int estimatedBytes) {
    stackTrace = trace;
    this.estimatedBytes += estimatedBytes + ATTRIBUTE_OVERHEAD + 11;
    return this;
  }

  /**
   * A user attribute (MDC, ThreadContext, key-value pair). Numbers and booleans keep their JSON
   * type; any other value is turned into its String now, on the logging thread (it may be mutable).
   */
  public EventBuilder attribute(String name, Object value) {
    if (name == null) {
      return this;
    }
    Object v = captured(value);
    if (attributes == null) {
      attributes = new Object[FIRST_ATTRIBUTE_SLOTS];
    } else if (attributeSlots + 2 > attributes.length) {
      attributes = Arrays.copyOf(attributes, attributes.length * 2);
    }
    attributes[attributeSlots++] = name;
    attributes[attributeSlots++] = v;
    estimatedBytes += name.length() + ATTRIBUTE_OVERHEAD + (v instanceof String s ? s.length() : SCALAR_BYTES);
    return this;
  }

  private static Object captured(Object value) {
    if (value == null || value instanceof String || value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte || value instanceof Double || value instanceof Float
        || value instanceof Boolean) {
      return value;
    }
    return value.toString();
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}

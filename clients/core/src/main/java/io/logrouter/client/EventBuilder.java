package io.logrouter.client;

import java.util.Arrays;

/**
 * Captures one event on the logging thread into an immutable {@link Event}: no JSON, no bytes,
 * only references to the strings the logging system already made, a copy of the attributes, and
 * a size estimate from string lengths (what the event counts for against {@code bufferBytes}).
 * One builder per thread, reused; usage:
 *
 * <pre>{@code
 * EventBuilder b = client.event().begin(sec, nanos, "INFO", "checkout", "paid");
 * b.thread("main").attribute("order", 42);
 * client.append(b);
 * }</pre>
 */
public final class EventBuilder {
  /** The fixed part of a line: braces, quotes, field names, the 27-character timestamp. */
  static final int LINE_OVERHEAD = 80;
  /** Per attribute: quotes, colon, comma. */
  static final int ATTRIBUTE_OVERHEAD = 6;
  /** A number or boolean, printed. */
  static final int SCALAR_BYTES = 20;

  long epochSecond;
  int nanoOfSecond;
  String level;
  String source;
  String message;
  String thread;
  String logger;
  Event.StackTrace stackTrace;
  int estimatedBytes;
  private Object[] attributes = new Object[16];
  private int attributeSlots;
  private boolean inUse;

  EventBuilder() {
  }

  boolean inUse() {
    return inUse;
  }

  /**
   * Starts an event. {@code nanoOfSecond} is kept to the microsecond (the router stores
   * DATETIME(6)). {@code source} is the fixed source or the logger name.
   */
  public EventBuilder begin(long epochSecond, int nanoOfSecond, String level, String source, String message) {
    inUse = true;
    this.epochSecond = epochSecond;
    this.nanoOfSecond = nanoOfSecond;
    this.level = level;
    this.source = source;
    this.message = message == null ? "" : message;
    this.thread = null;
    this.logger = null;
    this.stackTrace = null;
    this.attributeSlots = 0;
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
    if (attributeSlots + 2 > attributes.length) {
      attributes = Arrays.copyOf(attributes, attributes.length * 2);
    }
    attributes[attributeSlots++] = name;
    attributes[attributeSlots++] = v;
    estimatedBytes += name.length() + ATTRIBUTE_OVERHEAD + (v instanceof String s ? s.length() : SCALAR_BYTES);
    return this;
  }

  /** The immutable event; the builder is free for the next one. */
  Event build() {
    Object[] attrs = attributeSlots == 0 ? null : Arrays.copyOf(attributes, attributeSlots);
    Event e = new Event(this, attrs);
    release();
    return e;
  }

  /** Forgets a half-captured event (an attribute's toString threw). */
  void release() {
    inUse = false;
    Arrays.fill(attributes, 0, attributeSlots, null); // no reference kept alive by an idle thread
    attributeSlots = 0;
    message = null;
    stackTrace = null;
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

package io.logrouter.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;

/**
 * Encodes captured {@link Event}s as NDJSON lines, one after the other, into one reusable buffer:
 * a batch's body before gzip. Used by one sender thread at a time (no per-event generator or
 * buffer allocation). Usage: {@code reset(); write(e1); write(e2); ... buffer()[0..size())}.
 *
 * <p>Attribute names that the router reads as canonical fields or their aliases are written with a
 * leading underscore ({@code _level}), so an MDC entry can never change an event's level or time.
 */
public final class EventWriter {
  /** Field names the router interprets (DESIGN.md "Canonical fields" and aliases) plus our own. */
  private static final Set<String> RESERVED = Set.of("timestamp", "unix_ts", "level", "severity", "event_type",
      "type", "source", "component", "message", "thread", "logger", "stack_trace");
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final Bytes out = new Bytes();
  private final char[] timestamp = new char[27];
  private final byte[] secondPrefix = new byte[20]; // "yyyy-MM-ddTHH:mm:ss."
  private JsonGenerator gen;
  private long cachedSecond = Long.MIN_VALUE;

  public EventWriter() {
    gen = newGenerator(out);
  }

  private static JsonGenerator newGenerator(OutputStream out) {
    try {
      JsonGenerator g = JSON.createGenerator(out);
      g.setRootValueSeparator(null);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Empties the buffer for the next batch. */
  public void reset() {
    out.reset();
  }

  /** NDJSON bytes written since {@link #reset()}: {@code buffer()[0..size())}. */
  public int size() {
    return out.size;
  }

  public byte[] buffer() {
    return out.buf;
  }

  /**
   * Appends the event as one line (with its newline). When encoding fails part-way (a deferred
   * stack trace that throws), the buffer is as it was before and the exception is rethrown.
   */
  public void write(Event e) {
    int mark = out.size;
    try {
      encode(e);
      gen.flush();
    } catch (IOException | RuntimeException failure) {
      gen = newGenerator(out); // the old one may hold half an object
      out.size = mark;
      throw failure instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) failure;
    }
    out.write('\n');
  }

  private void encode(Event e) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName("timestamp");
    formatTimestamp(e.epochSecond, e.nanoOfSecond);
    gen.writeString(timestamp, 0, timestamp.length);
    gen.writeStringField("level", e.level);
    gen.writeStringField("source", e.source);
    gen.writeStringField("message", e.message);
    field("thread", e.thread);
    field("logger", e.logger);
    Object[] attrs = e.attributes;
    if (attrs != null) {
      for (int i = 0; i < e.attributeSlots; i += 2) {
        attribute((String) attrs[i], attrs[i + 1]);
      }
    }
    if (e.stackTrace != null) {
      field("stack_trace", e.stackTrace.render());
    }
    gen.writeEndObject();
  }

  private void field(String name, String value) throws IOException {
    if (value != null) {
      gen.writeStringField(name, value);
    }
  }

  /** Numbers and booleans keep their JSON type (the capture kept only those and Strings). */
  private void attribute(String name, Object value) throws IOException {
    gen.writeFieldName(RESERVED.contains(name) ? "_" + name : name);
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      gen.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        gen.writeNumber(d);
      } else {
        gen.writeString(value.toString());
      }
    } else if (value instanceof Boolean b) {
      gen.writeBoolean(b);
    } else {
      gen.writeString(value.toString());
    }
  }

  /** ISO-8601 UTC with microseconds; the date part is formatted once per second. */
  private void formatTimestamp(long epochSecond, int nanoOfSecond) {
    if (epochSecond != cachedSecond) {
      String s = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).toString(); // yyyy-MM-ddTHH:mm[:ss]
      if (s.length() == 16) {
        s = s + ":00";
      }
      for (int i = 0; i < 19; i++) {
        secondPrefix[i] = (byte) s.charAt(i);
      }
      secondPrefix[19] = '.';
      cachedSecond = epochSecond;
    }
    char[] c = timestamp;
    for (int i = 0; i < 20; i++) {
      c[i] = (char) secondPrefix[i];
    }
    int micros = nanoOfSecond / 1000;
    for (int i = 25; i >= 20; i--) {
      c[i] = (char) ('0' + micros % 10);
      micros /= 10;
    }
    c[26] = 'Z';
  }

  /** A growable byte sink whose array is read in place. */
  private static final class Bytes extends OutputStream {
    byte[] buf = new byte[64 * 1024];
    int size;

    void reset() {
      size = 0;
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }
  }
}

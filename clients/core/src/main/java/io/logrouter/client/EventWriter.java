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
 * Encodes one event as one NDJSON line on the application thread, into a buffer reused by that
 * thread (no per-event generator or buffer allocation). Usage:
 * {@code client.writer().begin(...).attribute(...)...; client.append(writer)}.
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
  private JsonGenerator gen;
  private final byte[] secondPrefix = new byte[20]; // "yyyy-MM-ddTHH:mm:ss."
  private long cachedSecond = Long.MIN_VALUE;
  private boolean inUse;

  EventWriter() {
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

  boolean inUse() {
    return inUse;
  }

  /**
   * Starts an event. {@code nanoOfSecond} is kept to the microsecond (the router stores
   * DATETIME(6)). {@code source} is the fixed source or the logger name.
   */
  public EventWriter begin(long epochSecond, int nanoOfSecond, String level, String source, String message) {
    inUse = true;
    out.reset();
    try {
      gen.writeStartObject();
      gen.writeFieldName("timestamp");
      formatTimestamp(epochSecond, nanoOfSecond);
      gen.writeString(timestamp, 0, timestamp.length);
      gen.writeStringField("level", level);
      gen.writeStringField("source", source);
      gen.writeStringField("message", message == null ? "" : message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A field of our own ({@code thread}, {@code logger}, {@code stack_trace}): written as is. */
  public EventWriter field(String name, String value) {
    if (value != null) {
      try {
        gen.writeStringField(name, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  /** A user attribute (MDC, ThreadContext, key-value pair): numbers and booleans keep their JSON type. */
  public EventWriter attribute(String name, Object value) {
    if (name == null) {
      return this;
    }
    try {
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Ends the event: the line (with its newline) is {@code buffer()[0..length())}. */
  int end() {
    try {
      gen.writeEndObject();
      gen.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    inUse = false;
    return out.size;
  }

  byte[] copy() {
    return Arrays.copyOf(out.buf, out.size);
  }

  /** Abandons a half-written event (an attribute's toString threw): a fresh generator, a clean buffer. */
  void abandon() {
    inUse = false;
    gen = newGenerator(out);
    out.reset();
  }

  /** ISO-8601 UTC with microseconds; the date part is formatted once per second per thread. */
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
    byte[] buf = new byte[512];
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

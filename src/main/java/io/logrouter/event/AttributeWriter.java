package io.logrouter.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds one event's attributes object for receivers whose events are not JSON (OTLP, Loki, syslog),
 * under the same limits {@link IngestParser} enforces on JSON events: top-level attribute count
 * ({@code event.max.attributes}, 413), nesting depth ({@code event.max.attributes.depth}, 400), key
 * length ({@link IngestParser#MAX_KEY_BYTES}) and text MySQL's utf8mb4 refuses. Use: {@link #begin},
 * fields, {@link #finish}, then hand {@link #buffer()}{@code [0..}{@link #length()}{@code )} to
 * {@link EventWriter#add}. One instance per ingest thread.
 */
public final class AttributeWriter {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  private final int maxAttributes;
  private final int maxDepth;
  private final ExposedByteArrayOutputStream out = new ExposedByteArrayOutputStream(1024);
  private JsonGenerator gen;
  private boolean clean;
  private int index;
  private int depth;
  private int topLevel;
  private String field;

  /**
   * @param maxAttributes most top-level attributes per event
   * @param maxDepth most object/array levels inside one attribute value
   */
  public AttributeWriter(int maxAttributes, int maxDepth) {
    this.maxAttributes = maxAttributes;
    this.maxDepth = Math.min(maxDepth, IngestParser.MAX_ATTRIBUTE_DEPTH);
  }

  /** Starts the attributes of event {@code eventIndex} (named in errors). */
  public void begin(int eventIndex) {
    try {
      if (gen == null || !clean) {
        gen = JSON.createGenerator(out); // an error left the previous one mid-object
        gen.setRootValueSeparator(null);
      }
      out.reset();
      clean = false;
      index = eventIndex;
      depth = 0;
      topLevel = 0;
      gen.writeStartObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a field name: at the top level it counts against the attribute limit. */
  public AttributeWriter name(String name) throws InvalidEventException {
    if (depth == 0) {
      field = name;
      if (topLevel++ == maxAttributes) {
        throw new InvalidEventException(413, index, name,
            "more than " + maxAttributes + " attributes in one event (event.max.attributes)");
      }
    }
    FieldReader.checkText(name, index, field);
    if (name.length() > IngestParser.MAX_KEY_BYTES / 3
        && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > IngestParser.MAX_KEY_BYTES) {
      throw new InvalidEventException(index, field, "attribute name is over " + IngestParser.MAX_KEY_BYTES + " bytes");
    }
    try {
      gen.writeFieldName(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public void string(String value) throws InvalidEventException {
    FieldReader.checkText(value, index, field);
    try {
      gen.writeString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void number(long value) {
    try {
      gen.writeNumber(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A double; NaN and infinities (which JSON cannot hold) are stored as their names, as strings. */
  public void number(double value) {
    try {
      if (Double.isFinite(value)) {
        gen.writeNumber(value);
      } else {
        gen.writeString(Double.toString(value));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void bool(boolean value) {
    try {
      gen.writeBoolean(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void startObject() throws InvalidEventException {
    deeper();
    try {
      gen.writeStartObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void startArray() throws InvalidEventException {
    deeper();
    try {
      gen.writeStartArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void endObject() {
    depth--;
    try {
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void endArray() {
    depth--;
    try {
      gen.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the attributes object; {@link #buffer()} and {@link #length()} then hold it. */
  public void finish() {
    try {
      gen.writeEndObject();
      gen.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    clean = true;
  }

  public byte[] buffer() {
    return out.buffer();
  }

  public int length() {
    return out.size();
  }

  private void deeper() throws InvalidEventException {
    if (depth == maxDepth) {
      throw new InvalidEventException(index, field, field + ": nesting is deeper than " + maxDepth
          + " levels (event.max.attributes.depth)");
    }
    depth++;
  }
}

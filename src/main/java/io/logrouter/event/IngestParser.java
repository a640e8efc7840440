package io.logrouter.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns one request body into one queue document ({@link RecordFormat}). A body in the subset of JSON
 * that {@link VerbatimEventScanner} copies as bytes (most log lines) goes through it; any other body,
 * and every invalid one, through Jackson's streaming parser: no JSON tree is built, canonical fields
 * are pulled out as they stream by, and every other field is copied token by token into the event's
 * {@code attributes} object with its exact JSON type (numbers keep their original text).
 * All-or-nothing: the first invalid event throws and the caller discards the partly written document.
 *
 * <p>Thread ownership: one instance per ingest (IO) thread; it reuses its buffers across requests.
 */
public final class IngestParser {
  /**
   * Deepest JSON a request may hold. MariaDB 10.11's JSON_VALID (the CHECK of its attributes
   * column) refuses documents nested past 31 levels, MySQL 8.4 past 100: the attributes object is
   * one level, so an attribute value may nest 30 more. In the request the event object and the
   * request's array take the two levels above it.
   */
  static final int MAX_NESTING_DEPTH = 32;
  /** Deepest attribute value: 31 levels of the stored attributes document minus its own object. */
  public static final int MAX_ATTRIBUTE_DEPTH = MAX_NESTING_DEPTH - 2;
  /**
   * MySQL's binary JSON stores a key's length in 16 bits: a longer key is refused at insert.
   * Jackson measures names of a byte[] source in UTF-8 bytes, so its name limit is exactly this one.
   */
  public static final int MAX_KEY_BYTES = 65_535;
  /** A JSON number longer than this cannot be stored by MySQL's JSON type (beyond a double). */
  public static final int MAX_NUMBER_TEXT = 300;

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
          .maxNameLength(MAX_KEY_BYTES).build())
      // Emoji and other supplementary characters stay literal UTF-8 in attributes (byte-exact,
      // searchable with LIKE), not \uD83D\uDE80 escapes.
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  /** Level aliases in priority order: the first present wins, the others stay attributes. */
  private static final String[] LEVEL_FIELDS = {"level", "severity", "event_type", "type"};
  private static final String[] SOURCE_FIELDS = {"source", "component"};

  private final int maxEvents;
  private final int maxAttributes;
  private final int maxAttributeDepth;
  private final ExposedByteArrayOutputStream attributes = new ExposedByteArrayOutputStream(1024);
  private final String[] levels = new String[LEVEL_FIELDS.length];
  private final String[] sources = new String[SOURCE_FIELDS.length];
  /** The fast path, for bodies it can copy as bytes (most log lines). */
  private final VerbatimEventScanner verbatim;

  /** No limit on events or attributes; attribute nesting only bounded by {@link #MAX_NESTING_DEPTH}. */
  public IngestParser() {
    this(Integer.MAX_VALUE, Integer.MAX_VALUE, MAX_ATTRIBUTE_DEPTH);
  }

  /**
   * @param maxEvents most events one request may carry (more is a 413)
   * @param maxAttributes most top-level attribute fields per event (more is a 413)
   * @param maxAttributeDepth most object/array levels inside one attribute value (deeper is a 400)
   */
  public IngestParser(int maxEvents, int maxAttributes, int maxAttributeDepth) {
    this.maxEvents = maxEvents;
    this.maxAttributes = maxAttributes;
    this.maxAttributeDepth = maxAttributeDepth;
    this.verbatim = new VerbatimEventScanner(maxEvents, maxAttributes, maxAttributeDepth);
  }

  /**
   * Parses {@code body} and adds its events to {@code out} (begun by the caller, finished after).
   *
   * @return the number of events written
   * @throws InvalidEventException when any event is invalid; {@code out} then holds garbage
   */
  public int parse(byte[] body, int offset, int length, BodyFormat format, long receivedMicros, EventWriter out)
      throws InvalidEventException {
    requireUtf8(body, offset, length);
    int count = verbatim.parse(body, offset, length, format, receivedMicros, out);
    if (count != VerbatimEventScanner.OUTSIDE) {
      return count;
    }
    out.discardEvents(); // outside the verbatim subset: Jackson reads the whole body again, and decides what is wrong
    return withJackson(body, offset, length, format, receivedMicros, out);
  }

  /**
   * As {@link #parse}, with Jackson's path alone: what {@code parse} does for a body outside the verbatim
   * subset, and the reference {@code VerbatimEventScannerTest} holds the fast path to.
   */
  int parseWithJackson(byte[] body, int offset, int length, BodyFormat format, long receivedMicros, EventWriter out)
      throws InvalidEventException {
    requireUtf8(body, offset, length);
    return withJackson(body, offset, length, format, receivedMicros, out);
  }

  private static void requireUtf8(byte[] body, int offset, int length) throws InvalidEventException {
    int invalidAt = Utf8.firstInvalid(body, offset, length);
    if (invalidAt >= 0) {
      throw new InvalidEventException(-1, null, "body is not valid UTF-8 at byte " + invalidAt);
    }
  }

  private int withJackson(byte[] body, int offset, int length, BodyFormat format, long receivedMicros,
      EventWriter out) throws InvalidEventException {
    attributes.reset();
    int count = 0;
    try (JsonParser p = JSON.createParser(body, offset, length);
        JsonGenerator gen = JSON.createGenerator(attributes)) {
      gen.setRootValueSeparator(null);
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new InvalidEventException(-1, null, "empty body: send a JSON object, an array of objects or NDJSON");
      }
      if (format != BodyFormat.NDJSON && t == JsonToken.START_ARRAY) {
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          checkEventCount(count);
          parseEvent(p, t, count++, receivedMicros, gen, out);
        }
        t = p.nextToken();
      } else {
        do {
          checkEventCount(count);
          parseEvent(p, t, count++, receivedMicros, gen, out);
          t = p.nextToken();
        } while (format != BodyFormat.JSON && t != null);
      }
      if (t != null) {
        throw new InvalidEventException(-1, null,
            "unexpected content after the JSON value at " + where(p) + " (several objects? send an array or NDJSON)");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(Math.max(0, count - 1), null,
          "malformed JSON: " + e.getOriginalMessage() + " at " + where(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte[] source and an in-memory sink cannot fail
    }
    return count;
  }

  /** Called before event {@code index} is parsed: stops a too-large request at its first extra event. */
  private void checkEventCount(int index) throws InvalidEventException {
    if (index == maxEvents) {
      throw new InvalidEventException(413, index, null,
          "more than " + maxEvents + " events in one request (http.max.events.per.request)");
    }
  }

  private void parseEvent(JsonParser p, JsonToken start, int index, long receivedMicros, JsonGenerator gen,
      EventWriter out) throws IOException, InvalidEventException {
    if (start != JsonToken.START_OBJECT) {
      throw new InvalidEventException(index, null, "event is not a JSON object (found " + describe(start) + ")");
    }
    java.util.Arrays.fill(levels, null);
    java.util.Arrays.fill(sources, null);
    long ts = Long.MIN_VALUE;
    long unixTs = Long.MIN_VALUE;
    long date = Long.MIN_VALUE;
    String message = null;
    gen.flush();
    int attributesStart = attributes.size();
    gen.writeStartObject();
    JsonToken t;
    int attributeCount = 0;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      t = p.nextToken();
      switch (name) {
        case "timestamp" -> ts = FieldReader.timestamp(p, t, index, name, false);
        case "unix_ts" -> unixTs = FieldReader.timestamp(p, t, index, name, true);
        case "date" -> {
          // Fluent Bit's json_date_key: epoch seconds (json_date_format double, its default) or ISO-8601.
          // Anything else named "date" is the sender's own field and stays an attribute.
          date = FieldReader.dateKey(p, t);
          if (date == Long.MIN_VALUE) {
            attributeCount = copyField(p, t, name, index, gen, attributeCount);
          }
        }
        case "level" -> levels[0] = FieldReader.text(p, t, index, name);
        case "source" -> sources[0] = FieldReader.text(p, t, index, name);
        case "message" -> message = FieldReader.text(p, t, index, name);
        case "severity", "event_type", "type", "component" -> {
          // Aliases only count when they hold text; otherwise they are ordinary attributes.
          if (t == JsonToken.VALUE_STRING) {
            storeAlias(name, p.getText());
          } else {
            attributeCount = copyField(p, t, name, index, gen, attributeCount);
          }
        }
        default -> attributeCount = copyField(p, t, name, index, gen, attributeCount);
      }
    }
    String level = pick(levels, LEVEL_FIELDS, gen);
    String source = pick(sources, SOURCE_FIELDS, gen);
    gen.writeEndObject();
    gen.flush();
    long eventTs = ts != Long.MIN_VALUE ? ts : unixTs != Long.MIN_VALUE ? unixTs
        : date != Long.MIN_VALUE ? date : receivedMicros;
    out.add(index, eventTs, receivedMicros, level, source, message, attributes.buffer(), attributesStart,
        attributes.size() - attributesStart);
  }

  private void storeAlias(String name, String value) {
    switch (name) {
      case "severity" -> levels[1] = value;
      case "event_type" -> levels[2] = value;
      case "type" -> levels[3] = value;
      default -> sources[1] = value;
    }
  }

  /** The first non-null slot wins; the losing aliases are kept as string attributes. */
  private static String pick(String[] slots, String[] names, JsonGenerator gen) throws IOException {
    String winner = null;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == null) {
        continue;
      }
      if (winner == null) {
        winner = slots[i];
      } else {
        gen.writeStringField(names[i], slots[i]);
      }
    }
    return winner;
  }

  /** Copies one attribute field; @return the event's attribute count including this one */
  private int copyField(JsonParser p, JsonToken t, String name, int index, JsonGenerator gen, int count)
      throws IOException, InvalidEventException {
    if (count == maxAttributes) {
      throw new InvalidEventException(413, index, name,
          "more than " + maxAttributes + " attributes in one event (event.max.attributes)");
    }
    FieldReader.checkText(name, index, name);
    gen.writeFieldName(name);
    FieldReader.copyValue(p, t, index, name, gen, maxAttributeDepth);
    return count + 1;
  }


  /**
   * The text rule every receiver applies to strings it stores (field names included): no unpaired
   * UTF-16 surrogate, which MySQL's utf8mb4 refuses. For receivers that do not stream through this parser.
   */
  public static void checkText(String s, int index, String field) throws InvalidEventException {
    FieldReader.checkText(s, index, field);
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String where(JsonParser p) {
    return "line " + p.currentLocation().getLineNr() + " column " + p.currentLocation().getColumnNr();
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null ? "unknown position"
        : "line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
  }
}

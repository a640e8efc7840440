package io.logrouter.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The three answer shapes: the router's own {@code {"logs":[…],"next":…}}, and the bare arrays of
 * the two replaced systems (Django {@code /event}: email, environment, component, message, data,
 * createdAt in epoch seconds; Go {@code /logs/retrieve}: timestamp, level, message).
 */
final class LogJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Room for a typical page of 100 rows of a few hundred bytes without regrowing. */
  private static final int INITIAL_BYTES = 32 * 1024;

  private LogJson() {}

  interface Writer {
    void write(JsonGenerator gen, LogRow row) throws IOException;
  }

  static byte[] page(LogPage page) {
    return render(gen -> {
      gen.writeStartObject();
      gen.writeArrayFieldStart("logs");
      for (LogRow row : page.rows()) {
        routerRecord(gen, row);
      }
      gen.writeEndArray();
      gen.writeStringField("next", page.next() == null ? null : page.next().encode());
      gen.writeEndObject();
    });
  }

  static byte[] array(List<LogRow> rows, Writer writer) {
    return render(gen -> {
      gen.writeStartArray();
      for (LogRow row : rows) {
        writer.write(gen, row);
      }
      gen.writeEndArray();
    });
  }

  static void routerRecord(JsonGenerator gen, LogRow row) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("id", row.id());
    gen.writeStringField("timestamp", Timestamps.format(row.ts()));
    gen.writeStringField("level", row.level());
    gen.writeStringField("source", row.source());
    gen.writeStringField("message", row.message());
    gen.writeFieldName("attributes");
    MAPPER.writeTree(gen, attributes(row));
    gen.writeEndObject();
  }

  /**
   * {@code {"from","to","bucket_seconds","buckets":[{"start","counts":{level:n}}],"levels":{level:n},"total"}}:
   * every bucket of the window, empty ones too (a chart needs the gaps), levels in severity order.
   */
  static byte[] histogram(LogQuery query, LogQueryService.Histogram histogram) {
    HistogramBuckets buckets = histogram.buckets();
    return render(gen -> {
      gen.writeStartObject();
      gen.writeStringField("from", Timestamps.format(query.from()));
      gen.writeStringField("to", Timestamps.format(query.to()));
      gen.writeNumberField("bucket_seconds", buckets.seconds());
      gen.writeArrayFieldStart("buckets");
      for (int i = 0; i < buckets.count(); i++) {
        gen.writeStartObject();
        gen.writeStringField("start", Timestamps.format(buckets.start(i)));
        gen.writeObjectFieldStart("counts");
        for (var level : histogram.counts().entrySet()) {
          if (level.getValue()[i] > 0) {
            gen.writeNumberField(level.getKey(), level.getValue()[i]);
          }
        }
        gen.writeEndObject();
        gen.writeEndObject();
      }
      gen.writeEndArray();
      long total = 0;
      gen.writeObjectFieldStart("levels");
      for (var level : histogram.counts().entrySet()) {
        long sum = java.util.Arrays.stream(level.getValue()).sum();
        total += sum;
        gen.writeNumberField(level.getKey(), sum);
      }
      gen.writeEndObject();
      gen.writeNumberField("total", total);
      gen.writeEndObject();
    });
  }

  /** {@code {"sources":[{"source":…,"count":…}]}}, most frequent first; source null for events without one. */
  static byte[] sources(List<java.util.Map.Entry<String, Long>> top) {
    return render(gen -> {
      gen.writeStartObject();
      gen.writeArrayFieldStart("sources");
      for (var entry : top) {
        gen.writeStartObject();
        gen.writeStringField("source", entry.getKey());
        gen.writeNumberField("count", entry.getValue());
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    });
  }

  static byte[] sql(String sql) {
    return render(gen -> {
      gen.writeStartObject();
      gen.writeStringField("sql", sql);
      gen.writeEndObject();
    });
  }

  /** One event of the live tail: the record shape of GET /logs without an id (it has none before the flush). */
  static byte[] tailEvent(TailEvent event) {
    return render(gen -> {
      gen.writeStartObject();
      gen.writeStringField("timestamp", Timestamps.format(io.logrouter.event.Timestamps.toUtcDateTime(event.event().tsMicros())));
      gen.writeStringField("level", event.event().level());
      gen.writeStringField("source", event.event().source());
      gen.writeStringField("message", event.event().message());
      gen.writeFieldName("attributes");
      MAPPER.writeTree(gen, event.attributes());
      gen.writeEndObject();
    });
  }

  /** The Django system's event: its own fields were stored as attributes, component as source. */
  static void djangoEvent(JsonGenerator gen, LogRow row) throws IOException {
    ObjectNode attributes = attributes(row);
    gen.writeStartObject();
    gen.writeNumberField("id", row.id());
    gen.writeNumberField("createdAt", row.ts().toEpochSecond(ZoneOffset.UTC));
    writeAttribute(gen, "email", attributes);
    writeAttribute(gen, "environment", attributes);
    gen.writeStringField("component", row.source());
    gen.writeStringField("message", row.message());
    writeAttribute(gen, "data", attributes);
    gen.writeEndObject();
  }

  /** The Go system's LogMessage. */
  static void goLog(JsonGenerator gen, LogRow row) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("timestamp", Timestamps.format(row.ts()));
    gen.writeStringField("level", row.level());
    gen.writeStringField("message", row.message());
    gen.writeEndObject();
  }

  private static void writeAttribute(JsonGenerator gen, String name, ObjectNode attributes) throws IOException {
    JsonNode value = attributes.get(name);
    gen.writeFieldName(name);
    if (value == null) {
      gen.writeNull();
    } else {
      MAPPER.writeTree(gen, value);
    }
  }

  /** Parsed rather than copied raw: the answer stays valid JSON whatever a column holds. */
  private static ObjectNode attributes(LogRow row) throws IOException {
    if (row.attributesJson() == null || row.attributesJson().isEmpty()) {
      return MAPPER.createObjectNode();
    }
    JsonNode node = MAPPER.readTree(row.attributesJson());
    if (node instanceof ObjectNode object) {
      return object;
    }
    return MAPPER.createObjectNode(); // never written by the router; not worth failing a page over
  }

  private interface Body {
    void write(JsonGenerator gen) throws IOException;
  }

  private static byte[] render(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BYTES);
    try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
      body.write(gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

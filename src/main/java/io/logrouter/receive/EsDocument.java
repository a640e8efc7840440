package io.logrouter.receive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logrouter.event.IngestParser;
import io.logrouter.event.InvalidEventException;
import io.logrouter.event.Timestamps;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * One Elasticsearch source document mapped to the router's event (ECS names, as Filebeat, Logstash,
 * Fluent Bit {@code es} and Vector {@code elasticsearch} write them): {@code @timestamp} → time,
 * {@code log.level} (else {@code level}) → level, {@code service.name} (else {@code host.name}, else a
 * string {@code host}) → source, {@code message} → message; ECS names may be nested objects or dotted
 * keys. Everything but {@code @timestamp} and {@code message} stays in the attributes, plus
 * {@code _index}. The same limits as the router's own JSON: nesting, key length, number size, text.
 */
final class EsDocument {
  /** The index name, kept as this attribute. */
  static final String INDEX_ATTRIBUTE = "_index";

  private final ObjectMapper mapper;
  private final int maxAttributes;

  String level;
  String source;
  String message;
  long tsMicros;
  byte[] attributes;

  EsDocument(int maxAttributes, int maxAttributeDepth) {
    this.maxAttributes = maxAttributes;
    JsonFactory json = JsonFactory.builder()
        // The source object is the stored attributes object: its depth is the attributes' depth.
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxAttributeDepth + 1)
            .maxNameLength(IngestParser.MAX_KEY_BYTES).build())
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();
    // Exact numbers: an attribute keeps the number text it was sent with.
    this.mapper = new ObjectMapper(json).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Reads {@code line[off..off+len)} into this object's fields.
   *
   * @throws InvalidEventException naming what is wrong (the bulk item's 400 reason)
   */
  void read(byte[] line, int off, int len, int index, String indexName, long receivedMicros)
      throws InvalidEventException {
    JsonNode node;
    try {
      node = mapper.readTree(line, off, len);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidEventException(index, null, "failed to parse the document: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidEventException(index, null, "failed to parse the document: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode doc)) {
      throw new InvalidEventException(index, null, "the document is not a JSON object");
    }
    if (doc.size() >= maxAttributes + 2) {
      throw new InvalidEventException(413, index, null, "more than " + maxAttributes + " attributes in one event");
    }
    check(doc, index, null);
    JsonNode ts = doc.remove("@timestamp");
    tsMicros = ts == null || ts.isNull() ? receivedMicros : time(ts, index);
    JsonNode msg = doc.remove("message");
    message = msg == null || msg.isNull() ? null : msg.isTextual() ? msg.textValue() : msg.toString();
    level = text(doc, "log", "level");
    if (level == null) {
      level = doc.path("level").isTextual() ? doc.get("level").textValue() : null;
    }
    source = text(doc, "service", "name");
    if (source == null) {
      source = text(doc, "host", "name");
    }
    if (source == null && doc.path("host").isTextual()) {
      source = doc.get("host").textValue();
    }
    doc.put(INDEX_ATTRIBUTE, indexName);
    try {
      attributes = mapper.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new InvalidEventException(index, null, "the document cannot be stored: " + e.getMessage());
    }
  }

  /** An ECS field as a nested object ({@code "log":{"level":..}}) or a dotted key ({@code "log.level":..}). */
  private static String text(ObjectNode doc, String parent, String child) {
    JsonNode v = doc.path(parent).path(child);
    if (!v.isTextual()) {
      v = doc.path(parent + "." + child);
    }
    return v.isTextual() ? v.textValue() : null;
  }

  /** {@code @timestamp}: ISO-8601 (the router's one parser) or epoch milliseconds, as Elasticsearch's date type. */
  private static long time(JsonNode ts, int index) throws InvalidEventException {
    long micros = Long.MIN_VALUE;
    if (ts.isTextual()) {
      micros = Timestamps.parseIso(ts.textValue().trim());
    } else if (ts.isNumber() && Math.abs(ts.doubleValue()) < 1e15) {
      micros = Math.round(ts.doubleValue() * 1_000d);
    }
    if (micros == Long.MIN_VALUE || !Timestamps.inRange(micros)) {
      throw new InvalidEventException(index, "@timestamp", "failed to parse field [@timestamp]: " + ts
          + " (an ISO-8601 time or epoch milliseconds, years 1000 to 9999)");
    }
    return micros;
  }

  /** Text MySQL can store, numbers it can store, everywhere in the document. */
  private static void check(JsonNode node, int index, String field) throws InvalidEventException {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = field == null ? e.getKey() : field;
        IngestParser.checkText(e.getKey(), index, name);
        check(e.getValue(), index, name);
      }
    } else if (node.isArray()) {
      for (JsonNode v : node) {
        check(v, index, field);
      }
    } else if (node.isTextual()) {
      IngestParser.checkText(node.textValue(), index, field);
    } else if (node.isNumber() && (node.asText().length() > IngestParser.MAX_NUMBER_TEXT
        || !Double.isFinite(node.doubleValue()))) {
      throw new InvalidEventException(index, field, field + " holds a number too large to store");
    }
  }
}

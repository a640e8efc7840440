package io.logrouter.receive;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.logrouter.event.AttributeWriter;
import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;
import io.logrouter.event.Timestamps;
import io.logrouter.receive.loki.LokiPush;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.xerial.snappy.Snappy;

/**
 * Loki push ({@code POST /loki/api/v1/push}) as Promtail, Grafana Alloy and the Loki client libraries
 * send it: snappy-compressed (block format) protobuf {@code PushRequest}, or JSON
 * {@code {"streams":[{"stream":{labels},"values":[["<ns>","line",{metadata}]]}]}}. Labels and
 * structured metadata → attributes; a {@code level}/{@code severity}/{@code detected_level} in the
 * entry's structured metadata, else in the labels → level; {@code service_name}, else {@code app},
 * else {@code job} label → source; the line → message. All-or-nothing: any bad entry refuses the
 * push (400, text, as Loki answers); success is 204.
 */
public final class LokiReceiver implements Receiver<Void> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] LEVEL_NAMES = {"level", "severity", "detected_level"};
  private static final String[] SOURCE_NAMES = {"service_name", "app", "job"};

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
  }

  private final int maxEvents;
  private final long maxBodyBytes;
  private final ThreadLocal<AttributeWriter> attributes;

  /**
   * @param maxEvents most entries one push may carry (more is a 413)
   * @param maxBodyBytes largest snappy-decoded protobuf body (more is a 413)
   */
  public LokiReceiver(int maxEvents, long maxBodyBytes, Supplier<AttributeWriter> attributeWriters) {
    this.maxEvents = maxEvents;
    this.maxBodyBytes = maxBodyBytes;
    this.attributes = ThreadLocal.withInitial(attributeWriters);
  }

  @Override
  public String unsupportedType(ReceivedRequest request) {
    return isProtobuf(request) || isJson(request) ? null
        : "unsupported Content-Type '" + request.contentType() + "': send application/x-protobuf (snappy) or application/json";
  }

  @Override
  public Void decode(ReceivedRequest request, EventWriter events) throws InvalidEventException {
    Entries entries = new Entries(attributes.get(), events, request.receivedMicros());
    if (isProtobuf(request)) {
      decodeProtobuf(request, entries);
    } else {
      decodeJson(request, entries);
    }
    return null;
  }

  private void decodeProtobuf(ReceivedRequest request, Entries entries) throws InvalidEventException {
    LokiPush.PushRequest push;
    try {
      push = LokiPush.PushRequest.parseFrom(unsnappy(request.body(), request.length()));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException(-1, null, "body is not a Loki PushRequest: " + e.getMessage());
    }
    int stream = 0;
    for (LokiPush.StreamAdapter s : push.getStreamsList()) {
      List<String> labels = LokiLabels.parse(s.getLabels(), stream++);
      for (LokiPush.EntryAdapter entry : s.getEntriesList()) {
        List<String> metadata = new ArrayList<>(entry.getStructuredMetadataCount() * 2);
        for (LokiPush.LabelPairAdapter pair : entry.getStructuredMetadataList()) {
          metadata.add(pair.getName());
          metadata.add(pair.getValue());
        }
        long ts = Timestamps.fromSecondsAndNanos(entry.getTimestamp().getSeconds(), entry.getTimestamp().getNanos());
        entries.add(labels, metadata, ts, entry.getLine());
      }
    }
  }

  private byte[] unsnappy(byte[] body, int length) throws InvalidEventException {
    try {
      if (!Snappy.isValidCompressedBuffer(body, 0, length)) {
        throw new InvalidEventException(-1, null, "body is not snappy-compressed (block format) protobuf");
      }
      int size = Snappy.uncompressedLength(body, 0, length);
      if (size < 0 || size > maxBodyBytes) {
        throw new InvalidEventException(413, -1, null, "body is over " + maxBodyBytes + " bytes once snappy-decoded");
      }
      byte[] out = new byte[size];
      Snappy.uncompress(body, 0, length, out, 0);
      return out;
    } catch (IOException e) {
      throw new InvalidEventException(-1, null, "body is not valid snappy: " + e.getMessage());
    }
  }

  private void decodeJson(ReceivedRequest request, Entries entries) throws InvalidEventException {
    JsonNode root;
    try {
      root = MAPPER.readTree(request.body(), 0, request.length());
    } catch (JacksonException e) {
      throw new InvalidEventException(-1, null, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    JsonNode streams = root == null ? null : root.get("streams");
    if (streams == null || !streams.isArray()) {
      throw new InvalidEventException(-1, "streams", "body must be {\"streams\":[...]}");
    }
    int stream = 0;
    for (JsonNode s : streams) {
      List<String> labels = stringMap(s.get("stream"), "stream " + stream + ": stream");
      JsonNode values = s.get("values");
      if (values == null || !values.isArray()) {
        throw new InvalidEventException(entries.count(), "values", "stream " + stream + ": values must be an array");
      }
      for (JsonNode value : values) {
        String where = "stream " + stream + ": entry";
        if (!value.isArray() || value.size() < 2 || value.size() > 3 || !value.get(1).isTextual()) {
          throw new InvalidEventException(entries.count(), "values", where + " must be [\"<unix ns>\", \"line\"(, {metadata})]");
        }
        JsonNode t = value.get(0);
        long ts = t.isTextual() ? Timestamps.parseEpochNanos(t.textValue())
            : t.canConvertToLong() && t.isIntegralNumber() ? Timestamps.parseEpochNanos(Long.toString(t.longValue()))
            : Long.MIN_VALUE;
        List<String> metadata = value.size() == 3 ? stringMap(value.get(2), where + " metadata") : List.of();
        entries.add(labels, metadata, ts, value.get(1).textValue());
      }
      stream++;
    }
  }

  /** A JSON object of strings (labels, structured metadata) as name, value, ... */
  private static List<String> stringMap(JsonNode node, String what) throws InvalidEventException {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isObject()) {
      throw new InvalidEventException(-1, null, what + " must be an object of strings");
    }
    List<String> pairs = new ArrayList<>(node.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isTextual()) {
        throw new InvalidEventException(-1, field.getKey(), what + ": " + field.getKey() + " must be a string");
      }
      pairs.add(field.getKey());
      pairs.add(field.getValue().textValue());
    }
    return pairs;
  }

  /** Writes entries of one push, numbering them across streams. */
  private final class Entries {
    private final AttributeWriter attrs;
    private final EventWriter events;
    private final long receivedMicros;
    private int index;

    Entries(AttributeWriter attrs, EventWriter events, long receivedMicros) {
      this.attrs = attrs;
      this.events = events;
      this.receivedMicros = receivedMicros;
    }

    int count() {
      return index;
    }

    void add(List<String> labels, List<String> metadata, long ts, String line) throws InvalidEventException {
      if (index == maxEvents) {
        throw new InvalidEventException(413, index, null,
            "more than " + maxEvents + " entries in one push (http.max.events.per.request)");
      }
      if (ts == Long.MIN_VALUE) {
        throw new InvalidEventException(index, "timestamp", "timestamp is not unix nanoseconds within years 1000 to 9999");
      }
      attrs.begin(index);
      for (int i = 0; i < labels.size(); i += 2) {
        attrs.name(labels.get(i)).string(labels.get(i + 1));
      }
      for (int i = 0; i < metadata.size(); i += 2) {
        if (!has(labels, metadata.get(i))) {
          attrs.name(metadata.get(i)).string(metadata.get(i + 1));
        }
      }
      attrs.finish();
      String level = first(metadata, LEVEL_NAMES);
      if (level == null) {
        level = first(labels, LEVEL_NAMES);
      }
      events.add(index, ts, receivedMicros, level, first(labels, SOURCE_NAMES), line, attrs.buffer(), 0,
          attrs.length());
      index++;
    }
  }

  private static boolean has(List<String> pairs, String name) {
    for (int i = 0; i < pairs.size(); i += 2) {
      if (pairs.get(i).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The value of the first of {@code names} present in {@code pairs}, or null. */
  private static String first(List<String> pairs, String[] names) {
    for (String name : names) {
      for (int i = 0; i < pairs.size(); i += 2) {
        if (pairs.get(i).equals(name)) {
          return pairs.get(i + 1);
        }
      }
    }
    return null;
  }

  @Override
  public Reply accepted(ReceivedRequest request, Void decoded, int events) {
    return Reply.empty(204);
  }

  @Override
  public Reply refused(ReceivedRequest request, int status, String message, int eventIndex, String field) {
    String text = eventIndex >= 0 ? "entry " + eventIndex + ": " + message : message;
    return new Reply(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isJson(ReceivedRequest request) {
    return "application/json".equals(request.mediaType());
  }

  private static boolean isProtobuf(ReceivedRequest request) {
    String type = request.mediaType();
    return "application/x-protobuf".equals(type) || "application/protobuf".equals(type);
  }
}

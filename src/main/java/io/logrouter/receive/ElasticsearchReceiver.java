package io.logrouter.receive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Elasticsearch bulk API subset Filebeat, Logstash, Fluent Bit {@code es} and Vector
 * {@code elasticsearch} write with: {@code POST /_bulk} and {@code POST /{index}/_bulk}, NDJSON
 * action/source line pairs, {@code create} and {@code index} actions. Answers 200
 * {@code {"took","errors","items":[...]}} with one item per action, in order: 201 for a stored
 * document, 400 (with an Elasticsearch-shaped error) for an invalid one, which does not stop the valid
 * ones. {@code delete} and {@code update} items get 400: logs are appended, never changed.
 *
 * <p>An action's {@code _id} is the event's de-duplication key ({@link EventWriter#add}), one space
 * across all indexes (the flusher's rule). An {@code _id} this router accepted lately, or earlier in
 * the same request, is not written again: a {@code create} answers 409
 * {@code version_conflict_engine_exception} (which Beats and Logstash count as delivered), an
 * {@code index} answers 200 {@code "noop"} (the stored document stays: logs are never replaced).
 * Older or concurrent duplicates answer 201 and the flusher drops them (docs/IDEMPOTENCY.md). A
 * malformed action line refuses the whole request (400), as Elasticsearch does.
 */
public final class ElasticsearchReceiver implements Receiver<ElasticsearchReceiver.Items> {
  private static final JsonFactory JSON = new JsonFactory();
  /** Elasticsearch's own limit on a document id. */
  static final int MAX_ID_BYTES = 512;

  private final int maxEvents;
  private final long maxMessageBytes;
  private final ThreadLocal<EsDocument> documents;
  private final RecentKeys<Boolean> recentIds;

  /** Per-item outcomes of one bulk request, in request order. */
  public static final class Items {
    final List<String> actions = new ArrayList<>();
    final List<String> indexes = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    final List<String> errors = new ArrayList<>(); // null = stored, or a duplicate when its status says so
    final List<Integer> statuses = new ArrayList<>();
    /** Ids seen earlier in this request; made at the first id (most shippers send none). */
    Set<String> idsInRequest;
    final long startNanos = System.nanoTime();
    int failed;

    void add(String action, String index, String id, int status, String error) {
      actions.add(action);
      indexes.add(index);
      ids.add(id);
      errors.add(error);
      statuses.add(status);
      if (status >= 300) {
        failed++;
      }
    }

    void invalid(String action, String index, String id, String error) {
      add(action, index, id, 400, error);
    }

    /** @return false when {@code id} already came earlier in this request */
    boolean firstInRequest(String id) {
      if (idsInRequest == null) {
        idsInRequest = new HashSet<>();
      }
      return idsInRequest.add(id);
    }
  }

  /**
   * Limits as for the router's own JSON (http.max.events.per.request, event.max.attributes...).
   *
   * @param recentIds the {@code _id}s accepted lately, shared by every request to this receiver
   */
  public ElasticsearchReceiver(int maxEvents, int maxAttributes, int maxAttributeDepth, long maxMessageBytes,
      RecentKeys<Boolean> recentIds) {
    this.recentIds = recentIds;
    this.maxEvents = maxEvents;
    this.maxMessageBytes = Math.min(maxMessageBytes, EventWriter.MAX_MESSAGE_BYTES);
    this.documents = ThreadLocal.withInitial(() -> new EsDocument(maxAttributes, maxAttributeDepth));
  }

  @Override
  public String unsupportedType(ReceivedRequest request) {
    String type = request.mediaType();
    boolean ok = type.isEmpty() || type.equals("application/x-ndjson") || type.equals("application/json")
        || type.startsWith("application/vnd.elasticsearch+");
    return ok ? null : "unsupported Content-Type '" + request.contentType() + "': send application/x-ndjson";
  }

  @Override
  public Items decode(ReceivedRequest request, EventWriter events) throws InvalidEventException {
    String defaultIndex = indexOf(request.path());
    byte[] body = request.body();
    int end = request.length();
    Items items = new Items();
    EsDocument doc = documents.get();
    int pos = 0;
    while (true) {
      int[] action = nextLine(body, pos, end);
      if (action == null) {
        break;
      }
      int item = items.actions.size();
      if (item == maxEvents) {
        throw new InvalidEventException(413, item, null,
            "more than " + maxEvents + " actions in one request (http.max.events.per.request)");
      }
      String[] meta = action(body, action[0], action[1], item, defaultIndex);
      pos = action[1] + 1;
      if (meta[0].equals("delete")) {
        items.invalid(meta[0], meta[1], meta[2], "action [delete] is not supported: logs are append-only");
        continue;
      }
      int[] source = nextLine(body, pos, end);
      if (source == null) {
        throw new InvalidEventException(item, null, "the request must be terminated by a newline and every "
            + meta[0] + " action needs its source line [" + item + "]");
      }
      pos = source[1] + 1;
      if (meta[2] != null && meta[2].getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
        items.invalid(meta[0], meta[1], meta[2], "id [" + meta[2].substring(0, 32) + "...] is too long, must be no"
            + " longer than " + MAX_ID_BYTES + " bytes");
        continue;
      }
      if (!meta[0].equals("create") && !meta[0].equals("index")) {
        items.invalid(meta[0], meta[1], meta[2], "action [" + meta[0] + "] is not supported: logs are append-only");
        continue;
      }
      if (meta[2] != null && (recentIds.answered(meta[2]) != null || !items.firstInRequest(meta[2]))) {
        boolean create = meta[0].equals("create");
        items.add(meta[0], meta[1], meta[2], create ? 409 : 200, create ? "[" + meta[2]
            + "]: version conflict, document already exists (current version [1])" : null);
        continue;
      }
      String error = store(doc, body, source, item, meta, request.receivedMicros(), events);
      items.add(meta[0], meta[1], meta[2], error == null ? 201 : 400, error);
    }
    if (items.actions.isEmpty()) {
      throw new InvalidEventException(-1, null, "request body is required: NDJSON action and source lines");
    }
    return items;
  }

  /** Writes one document's event. @return null when stored, else the item's error reason */
  private String store(EsDocument doc, byte[] body, int[] line, int item, String[] meta, long receivedMicros,
      EventWriter events) {
    try {
      io.logrouter.event.IngestParser.checkText(meta[1], item, "_index");
      io.logrouter.event.IngestParser.checkText(meta[2], item, "_id");
      doc.read(body, line[0], line[1] - line[0], item, meta[1], receivedMicros);
      if (doc.message != null && doc.message.length() > maxMessageBytes / 3
          && doc.message.getBytes(StandardCharsets.UTF_8).length > maxMessageBytes) {
        return "message is over " + maxMessageBytes + " bytes";
      }
      // EventWriter checks level, source, text and time before it writes anything, so a refused
      // item leaves the document as it was.
      events.add(item, doc.tsMicros, receivedMicros, doc.level, doc.source, doc.message, doc.attributes, 0,
          doc.attributes.length, meta[2]);
      return null;
    } catch (InvalidEventException e) {
      return e.getMessage();
    }
  }

  @Override
  public Reply accepted(ReceivedRequest request, Items items, int events) {
    for (int i = 0; i < items.ids.size(); i++) {
      if (items.ids.get(i) != null && items.statuses.get(i) == 201) {
        recentIds.remember(items.ids.get(i), Boolean.TRUE); // only now: the events are durable
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + items.actions.size() * 160);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("took", (System.nanoTime() - items.startNanos) / 1_000_000);
      g.writeBooleanField("errors", items.failed > 0);
      g.writeArrayFieldStart("items");
      for (int i = 0; i < items.actions.size(); i++) {
        writeItem(g, items, i);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Reply.json(200, out.toByteArray());
  }

  private static void writeItem(JsonGenerator g, Items items, int i) throws IOException {
    int status = items.statuses.get(i);
    g.writeStartObject();
    g.writeObjectFieldStart(items.actions.get(i));
    g.writeStringField("_index", items.indexes.get(i));
    g.writeStringField("_id", items.ids.get(i) != null ? items.ids.get(i) : Long.toHexString(items.startNanos) + "-" + i);
    if (status < 300) {
      g.writeNumberField("_version", 1);
      g.writeStringField("result", status == 201 ? "created" : "noop");
      g.writeObjectFieldStart("_shards");
      g.writeNumberField("total", 1);
      g.writeNumberField("successful", status == 201 ? 1 : 0);
      g.writeNumberField("failed", 0);
      g.writeEndObject();
      g.writeNumberField("_seq_no", i);
      g.writeNumberField("_primary_term", 1);
    } else {
      String error = items.errors.get(i);
      g.writeObjectFieldStart("error");
      g.writeStringField("type", status == 409 ? "version_conflict_engine_exception"
          : error.startsWith("action [") ? "illegal_argument_exception" : "document_parsing_exception");
      g.writeStringField("reason", error);
      g.writeEndObject();
    }
    g.writeNumberField("status", status);
    g.writeEndObject();
    g.writeEndObject();
  }

  @Override
  public Reply refused(ReceivedRequest request, int status, String message, int eventIndex, String field) {
    return Reply.json(status, error(status, message));
  }

  /** Elasticsearch's error shape: {@code {"error":{"root_cause":[..],"type","reason"},"status"}}. */
  static byte[] error(int status, String reason) {
    String type = switch (status) {
      case 413 -> "content_too_long_exception";
      case 415 -> "media_type_header_exception";
      case 429, 503 -> "es_rejected_execution_exception";
      default -> "illegal_argument_exception";
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeArrayFieldStart("root_cause");
      g.writeStartObject();
      g.writeStringField("type", type);
      g.writeStringField("reason", reason);
      g.writeEndObject();
      g.writeEndArray();
      g.writeStringField("type", type);
      g.writeStringField("reason", reason);
      g.writeEndObject();
      g.writeNumberField("status", status);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code /my-index/_bulk} → "my-index"; {@code /_bulk} → null (every action must name its index). */
  static String indexOf(String path) {
    int slash = path.indexOf('/', 1);
    return slash > 1 ? path.substring(1, slash) : null;
  }

  /** The next non-blank line at or after {@code pos}: {start, end (exclusive, at '\n' or end)}, or null. */
  private static int[] nextLine(byte[] b, int pos, int end) {
    while (pos < end) {
      int nl = pos;
      while (nl < end && b[nl] != '\n') {
        nl++;
      }
      for (int i = pos; i < nl; i++) {
        if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
          return new int[] {pos, nl};
        }
      }
      pos = nl + 1;
    }
    return null;
  }

  /** Parses an action line: {action, index, id}. A malformed one refuses the whole request, as Elasticsearch does. */
  private static String[] action(byte[] b, int start, int end, int item, String defaultIndex)
      throws InvalidEventException {
    String action = null;
    String index = defaultIndex;
    String id = null;
    try (JsonParser p = JSON.createParser(b, start, end - start)) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
        throw malformed(item);
      }
      action = p.currentName();
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed(item);
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if (t == JsonToken.VALUE_STRING && name.equals("_index")) {
          index = p.getText();
        } else if ((t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) && name.equals("_id")) {
          id = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw malformed(item);
      }
    } catch (IOException e) {
      throw malformed(item);
    }
    if (index == null && !action.equals("delete")) {
      throw new InvalidEventException(item, "_index", "action [" + action + "] at item " + item
          + " names no index: use /{index}/_bulk or \"_index\"");
    }
    return new String[] {action, index, id};
  }

  private static InvalidEventException malformed(int item) {
    return new InvalidEventException(item, null, "Malformed action/metadata line [" + (item + 1)
        + "], expected {\"create\"|\"index\":{...}}");
  }
}

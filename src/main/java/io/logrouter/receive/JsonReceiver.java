package io.logrouter.receive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logrouter.event.BodyFormat;
import io.logrouter.event.EventWriter;
import io.logrouter.event.IngestParser;
import io.logrouter.event.InvalidEventException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The router's own JSON dialect ({@code POST /log} and the routes of the systems it replaces): one
 * object, an array of objects, or objects one after another (NDJSON, Fluent Bit json_lines and
 * json_stream, Vector's newline-delimited framing), told apart by the body; answers {@code 202 {"accepted":N}} and
 * {@code {"error":"...","event":i,"field":"f","accepted":0}}.
 */
public final class JsonReceiver implements Receiver<Void> {
  /** Pre-encoded {"accepted":N} bodies for the common small N; larger N are encoded per request. */
  private static final byte[][] ACCEPTED = new byte[1025][];
  private static final JsonFactory JSON = new JsonFactory();

  static {
    for (int i = 0; i < ACCEPTED.length; i++) {
      ACCEPTED[i] = acceptedBody(i);
    }
  }

  private final ThreadLocal<IngestParser> parsers;

  /** @param parsers makes one parser per IO thread (parsers reuse buffers across requests) */
  public JsonReceiver(Supplier<IngestParser> parsers) {
    this.parsers = ThreadLocal.withInitial(parsers);
  }

  @Override
  public String unsupportedType(ReceivedRequest request) {
    return formatOf(request.mediaType()) == null
        ? "unsupported Content-Type '" + request.contentType() + "': send application/json or application/x-ndjson"
        : null;
  }

  @Override
  public Void decode(ReceivedRequest request, EventWriter events) throws InvalidEventException {
    parsers.get().parse(request.body(), 0, request.length(), formatOf(request.mediaType()), request.receivedMicros(),
        events);
    return null;
  }

  @Override
  public Reply accepted(ReceivedRequest request, Void decoded, int events) {
    return Reply.json(202, events < ACCEPTED.length ? ACCEPTED[events] : acceptedBody(events));
  }

  @Override
  public Reply refused(ReceivedRequest request, int status, String message, int eventIndex, String field) {
    return Reply.json(status, error(message, eventIndex, field));
  }

  /** {@code {"error":message,"event":i,"field":f,"accepted":0}}, the shape every JSON route answers in. */
  static byte[] error(String message, int eventIndex, String field) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("error", message);
      if (eventIndex >= 0) {
        gen.writeNumberField("event", eventIndex);
      }
      if (field != null) {
        gen.writeStringField("field", field);
      }
      gen.writeNumberField("accepted", 0);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * @return the body format of a media type, or null when unsupported (415). No header means JSON:
   *     clients of the systems this router replaces do not all send one.
   */
  static BodyFormat formatOf(String type) {
    return switch (type) {
      // curl -d sends form-urlencoded by default; its users mean JSON, so it is read as JSON.
      // The framing is read from the body (BodyFormat.DETECT): Fluent Bit sends json, json_lines and
      // json_stream all as application/json; a JSON array under an NDJSON type is read as one too.
      case "", "application/json", "text/json", "text/plain", "application/x-www-form-urlencoded",
          "application/x-ndjson", "application/ndjson", "application/jsonlines", "application/x-jsonlines",
          "application/jsonl" -> BodyFormat.DETECT;
      default -> type.startsWith("application/") && type.endsWith("+json") ? BodyFormat.DETECT : null;
    };
  }

  private static byte[] acceptedBody(int n) {
    return ("{\"accepted\":" + n + "}").getBytes(StandardCharsets.US_ASCII);
  }
}

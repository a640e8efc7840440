package io.logrouter.receive;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.logrouter.event.AttributeWriter;
import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;
import io.logrouter.event.LevelNames;
import io.logrouter.event.Timestamps;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * OTLP/HTTP logs ({@code POST /v1/logs}), binary protobuf and OTLP/JSON, as the OpenTelemetry SDKs and
 * Collector's {@code otlphttp} exporter send them. Mapping: severity_text (else severity_number) →
 * level, resource {@code service.name} → source, body → message (a string as is, any other value as
 * JSON), time_unix_nano (else observed_time_unix_nano, else receive time) → ts; log attributes at the
 * top of attributes, with {@code resource}, {@code scope}, {@code trace_id}/{@code span_id} (hex) and
 * {@code event_name} beside them.
 *
 * <p>Answers as OTLP/HTTP specifies, in the request's encoding: 200 with an ExportLogsServiceResponse
 * (partial_success counts records refused one by one, e.g. a level over 16 characters), a
 * google.rpc.Status body with 400 (undecodable), 413, 415, 429/503 (the HTTP side adds Retry-After).
 */
public final class OtlpLogsReceiver implements Receiver<OtlpLogsReceiver.Outcome> {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  private static final byte[] EMPTY_RESPONSE = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
  private static final byte[] EMPTY_JSON_RESPONSE = "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** What the answer needs: the encoding to answer in and the records refused one by one. */
  public record Outcome(boolean json, int rejected, String firstError) {}

  private final int maxEvents;
  private final ThreadLocal<AttributeWriter> attributes;

  /**
   * @param maxEvents most log records one request may carry (more is a 413, http.max.events.per.request)
   * @param attributeWriters one per IO thread, with the configured attribute limits
   */
  public OtlpLogsReceiver(int maxEvents, Supplier<AttributeWriter> attributeWriters) {
    this.maxEvents = maxEvents;
    this.attributes = ThreadLocal.withInitial(attributeWriters);
  }

  @Override
  public String unsupportedType(ReceivedRequest request) {
    return isJson(request) || isProtobuf(request) ? null
        : "unsupported Content-Type '" + request.contentType() + "': send application/x-protobuf or application/json";
  }

  @Override
  public Outcome decode(ReceivedRequest request, EventWriter events) throws InvalidEventException {
    boolean json = isJson(request);
    ExportLogsServiceRequest export;
    try {
      export = json ? OtlpJson.parse(request.body(), request.length())
          : ExportLogsServiceRequest.parseFrom(java.nio.ByteBuffer.wrap(request.body(), 0, request.length()));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException(-1, null, "body is not an OTLP ExportLogsServiceRequest: " + e.getMessage());
    }
    AttributeWriter attrs = attributes.get();
    int index = 0;
    int rejected = 0;
    String firstError = null;
    for (ResourceLogs resourceLogs : export.getResourceLogsList()) {
      List<KeyValue> resource = resourceLogs.getResource().getAttributesList();
      String source = serviceName(resource);
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        for (LogRecord record : scopeLogs.getLogRecordsList()) {
          if (index == maxEvents) {
            throw new InvalidEventException(413, index, null,
                "more than " + maxEvents + " log records in one request (http.max.events.per.request)");
          }
          try {
            add(index, record, resource, scopeLogs.getScope(), source, request.receivedMicros(), attrs, events);
          } catch (InvalidEventException e) { // the writer left the document as it was: refuse this record only
            rejected++;
            if (firstError == null) {
              firstError = "log record " + index + ": " + e.getMessage();
            }
          }
          index++;
        }
      }
    }
    return new Outcome(json, rejected, firstError);
  }

  private static void add(int index, LogRecord record, List<KeyValue> resource, InstrumentationScope scope,
      String source, long receivedMicros, AttributeWriter attrs, EventWriter events) throws InvalidEventException {
    attrs.begin(index);
    writeKeyValues(record.getAttributesList(), attrs);
    if (!resource.isEmpty()) {
      attrs.name("resource").startObject();
      writeKeyValues(resource, attrs);
      attrs.endObject();
    }
    if (!scope.getName().isEmpty() || scope.getAttributesCount() > 0) {
      attrs.name("scope").startObject();
      attrs.name("name").string(scope.getName());
      if (!scope.getVersion().isEmpty()) {
        attrs.name("version").string(scope.getVersion());
      }
      if (scope.getAttributesCount() > 0) {
        attrs.name("attributes").startObject();
        writeKeyValues(scope.getAttributesList(), attrs);
        attrs.endObject();
      }
      attrs.endObject();
    }
    if (!record.getTraceId().isEmpty()) {
      attrs.name("trace_id").string(hex(record.getTraceId()));
    }
    if (!record.getSpanId().isEmpty()) {
      attrs.name("span_id").string(hex(record.getSpanId()));
    }
    if (!record.getEventName().isEmpty()) {
      attrs.name("event_name").string(record.getEventName());
    }
    attrs.finish();
    String level = record.getSeverityText().isEmpty()
        ? LevelNames.fromOtelSeverity(record.getSeverityNumberValue()) : record.getSeverityText();
    long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
    long ts = nanos != 0 ? Timestamps.fromEpochNanos(nanos) : receivedMicros;
    events.add(index, ts, receivedMicros, level, source, OtlpValues.message(record.getBody()), attrs.buffer(), 0,
        attrs.length());
  }

  private static void writeKeyValues(List<KeyValue> keyValues, AttributeWriter attrs) throws InvalidEventException {
    for (KeyValue kv : keyValues) {
      attrs.name(kv.getKey());
      OtlpValues.write(kv.getValue(), attrs);
    }
  }

  /** The resource's {@code service.name} when it is a string, else null. */
  private static String serviceName(List<KeyValue> resource) {
    for (KeyValue kv : resource) {
      if ("service.name".equals(kv.getKey()) && kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(ByteString bytes) {
    char[] out = new char[bytes.size() * 2];
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(out);
  }

  @Override
  public Reply accepted(ReceivedRequest request, Outcome decoded, int events) {
    if (decoded.rejected() == 0) {
      return decoded.json() ? new Reply(200, JSON, EMPTY_JSON_RESPONSE) : new Reply(200, PROTOBUF, EMPTY_RESPONSE);
    }
    ExportLogsServiceResponse response = ExportLogsServiceResponse.newBuilder()
        .setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
            .setRejectedLogRecords(decoded.rejected()).setErrorMessage(decoded.firstError()))
        .build();
    return decoded.json() ? new Reply(200, JSON, OtlpJson.print(response))
        : new Reply(200, PROTOBUF, response.toByteArray());
  }

  @Override
  public Reply refused(ReceivedRequest request, int status, String message, int eventIndex, String field) {
    String text = eventIndex >= 0 ? "log record " + eventIndex + ": " + message : message;
    int code = statusCode(status);
    return isProtobuf(request) ? new Reply(status, PROTOBUF, rpcStatus(code, text))
        : Reply.json(status, OtlpJson.rpcStatus(code, text));
  }

  /** The google.rpc.Code OTLP pairs with an HTTP status. */
  private static int statusCode(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413, 415 -> 3; // INVALID_ARGUMENT: retrying the same body cannot help
      case 429 -> 8; // RESOURCE_EXHAUSTED
      default -> httpStatus >= 500 ? 14 : 3; // UNAVAILABLE: retryable
    };
  }

  /** google.rpc.Status {int32 code = 1; string message = 2;} (no details), encoded by hand. */
  private static byte[] rpcStatus(int code, String message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + message.length());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeInt32(1, code);
      out.writeString(2, message);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static boolean isJson(ReceivedRequest request) {
    return JSON.equals(request.mediaType());
  }

  private static boolean isProtobuf(ReceivedRequest request) {
    String type = request.mediaType();
    return PROTOBUF.equals(type) || "application/protobuf".equals(type);
  }
}

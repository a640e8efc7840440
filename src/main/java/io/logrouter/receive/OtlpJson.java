package io.logrouter.receive;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OTLP/JSON, which is protobuf's JSON mapping with one exception JsonFormat does not know: traceId and
 * spanId are hex strings, not base64. A 32-character hex id is also valid base64, so JsonFormat would
 * silently decode it into 24 wrong bytes: the ids are rewritten to base64 first.
 */
final class OtlpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final String[] ID_FIELDS = {"traceId", "spanId", "trace_id", "span_id"};

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100).build());
  }

  private OtlpJson() {}

  static ExportLogsServiceRequest parse(byte[] body, int length) throws InvalidProtocolBufferException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body, 0, length);
    } catch (JacksonException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidProtocolBufferException("the body is not a JSON object");
    }
    for (JsonNode resourceLogs : array(root, "resourceLogs", "resource_logs")) {
      for (JsonNode scopeLogs : array(resourceLogs, "scopeLogs", "scope_logs")) {
        for (JsonNode record : array(scopeLogs, "logRecords", "log_records")) {
          if (record.isObject()) {
            hexIdsToBase64((ObjectNode) record);
          }
        }
      }
    }
    ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
    try {
      PARSER.merge(root.toString(), builder);
    } catch (RuntimeException e) {
      // JsonFormat lets some malformed input escape as unchecked exceptions (e.g. a number where an object belongs).
      throw new InvalidProtocolBufferException(String.valueOf(e.getMessage()));
    }
    return builder.build();
  }

  private static Iterable<JsonNode> array(JsonNode parent, String name, String snakeName) {
    JsonNode node = parent.isObject() ? parent.get(name) : null;
    if (node == null && parent.isObject()) {
      node = parent.get(snakeName);
    }
    return node != null && node.isArray() ? node : java.util.List.of();
  }

  private static void hexIdsToBase64(ObjectNode record) throws InvalidProtocolBufferException {
    for (String field : ID_FIELDS) {
      JsonNode id = record.get(field);
      if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
        continue;
      }
      byte[] bytes;
      try {
        bytes = HexFormat.of().parseHex(id.textValue());
      } catch (IllegalArgumentException e) {
        throw new InvalidProtocolBufferException(field + " is not a hex string: " + id.textValue());
      }
      record.set(field, TextNode.valueOf(Base64.getEncoder().encodeToString(bytes)));
    }
  }

  static byte[] print(ExportLogsServiceResponse response) {
    try {
      return PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e); // a message built here always prints
    }
  }

  /** google.rpc.Status in OTLP/JSON: {@code {"code":3,"message":"..."}}. */
  static byte[] rpcStatus(int code, String message) {
    ObjectNode status = MAPPER.createObjectNode();
    status.put("code", code);
    status.put("message", message);
    return status.toString().getBytes(StandardCharsets.UTF_8);
  }
}

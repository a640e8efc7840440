package io.logrouter.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.http.HttpServer;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/HTTP logs end to end: the OpenTelemetry Java SDK's exporter (protobuf and JSON) → router → MySQL rows. */
class OtlpReceiverHttpTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path queueDir;

  @Test
  void theSdkExporterInProtobufGzipAndJsonLandsAsRows() throws Exception {
    try (TestDatabase db = TestDatabase.create("otlp_sdk");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      export(router, "checkout-pb", sdkExporter(router, false, "none"));
      export(router, "checkout-gz", sdkExporter(router, false, "gzip"));
      export(router, "checkout-json", sdkExporter(router, true, "none"));
      assertEquals(9, router.flush());
      for (String service : List.of("checkout-pb", "checkout-gz", "checkout-json")) {
        List<Map<String, String>> rows = Rows.of(db, "source = '" + service + "'");
        assertEquals(3, rows.size(), service + ": " + rows);
        Map<String, String> first = rows.get(0);
        assertEquals("INFO", first.get("level"));
        assertEquals("order placed", first.get("message"));
        assertEquals("2026-11-30 10:00:00.123456", first.get("ts"));
        assertEquals(TRACE_ID, attribute(db, service, 0, "$.trace_id"), service + " trace id (hex, not base64)");
        assertEquals(SPAN_ID, attribute(db, service, 0, "$.span_id"));
        assertEquals("42", attribute(db, service, 0, "$.\"user.id\""));
        assertEquals(service, attribute(db, service, 0, "$.resource.\"service.name\""));
        assertEquals("shop", attribute(db, service, 0, "$.scope.name"));
        assertEquals("WARN", rows.get(1).get("level"), "severity number 13 (no text) is WARN");
        assertEquals("ERROR", rows.get(2).get("level"));
        assertEquals("payment failed", rows.get(2).get("message"));
      }
    }
  }

  @Test
  void partialSuccessCountsRefusedRecordsAndOtherValuesBecomeJsonMessages() throws Exception {
    try (TestDatabase db = TestDatabase.create("otlp_partial");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      AnyValue mapBody = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
          .addValues(kv("user", AnyValue.newBuilder().setIntValue(7).build()))).build();
      ExportLogsServiceRequest request = request("billing",
          LogRecord.newBuilder().setSeverityText("a level far longer than sixteen").setBody(text("refused")).build(),
          LogRecord.newBuilder().setBody(text("x".repeat(2 << 20))).build(), // over event.max.message.bytes (1 MB)
          LogRecord.newBuilder().setObservedTimeUnixNano(1_764_496_800_000_001_000L).setBody(mapBody).build());
      HttpResponse<byte[]> r = post(router, request.toByteArray(), "application/x-protobuf");
      assertEquals(200, r.statusCode());
      assertEquals("application/x-protobuf", r.headers().firstValue("Content-Type").orElse(""));
      ExportLogsServiceResponse response = ExportLogsServiceResponse.parseFrom(r.body());
      assertEquals(2, response.getPartialSuccess().getRejectedLogRecords(), "a long level and a long message");
      assertTrue(response.getPartialSuccess().getErrorMessage().contains("level"), response.toString());
      assertEquals(1, router.flush());
      List<Map<String, String>> rows = Rows.of(db, "source = 'billing'");
      assertEquals("{\"user\":7}", rows.get(0).get("message"));
      assertEquals("2025-11-30 10:00:00.000001", rows.get(0).get("ts"), "observed time when time_unix_nano is 0");
      assertEquals("INFO", rows.get(0).get("level"));
    }
  }

  @Test
  void undecodableBodiesAre400InTheRequestEncodingAndNothingIsQueued() throws Exception {
    try (TestDatabase db = TestDatabase.create("otlp_bad");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      HttpResponse<byte[]> pb = post(router, new byte[] {(byte) 0x0a, (byte) 0xff, 0x01}, "application/x-protobuf");
      assertEquals(400, pb.statusCode());
      assertEquals("application/x-protobuf", pb.headers().firstValue("Content-Type").orElse(""));
      com.google.protobuf.CodedInputStream status = com.google.protobuf.CodedInputStream.newInstance(pb.body());
      assertEquals((1 << 3), status.readTag());
      assertEquals(3, status.readInt32(), "google.rpc.Status code INVALID_ARGUMENT");
      HttpResponse<byte[]> json = post(router, "{\"resourceLogs\":[{\"scopeLogs\":7}]".getBytes(StandardCharsets.UTF_8),
          "application/json");
      assertEquals(400, json.statusCode());
      assertTrue(new String(json.body(), StandardCharsets.UTF_8).startsWith("{\"code\":3,\"message\":"));
      HttpResponse<byte[]> badHex = post(router, ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":"
          + "\"not-hex\",\"body\":{\"stringValue\":\"x\"}}]}]}]}").getBytes(StandardCharsets.UTF_8), "application/json");
      assertEquals(400, badHex.statusCode());
      assertEquals(415, post(router, new byte[] {1}, "text/csv").statusCode());
      assertEquals(0, router.router().gate().backlogEvents());
    }
  }

  private static void export(RouterHarness router, String service, LogRecordExporter exporter) {
    SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .setResource(io.opentelemetry.sdk.resources.Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
        .build();
    Logger logger = provider.loggerBuilder("shop").setInstrumentationVersion("1.0").build();
    Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    logger.logRecordBuilder().setContext(Context.root().with(span))
        .setTimestamp(Instant.parse("2026-11-30T10:00:00.123456789Z"))
        .setSeverity(Severity.INFO).setSeverityText("info").setBody("order placed")
        .setAttribute(AttributeKey.longKey("user.id"), 42L).emit();
    logger.logRecordBuilder().setSeverity(Severity.WARN).setBody("careful").emit();
    logger.logRecordBuilder().setSeverity(Severity.ERROR).setSeverityText("error").setBody("payment failed").emit();
    assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), service + ": export failed");
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** The SDK's OTLP/HTTP exporter; JSON mode is the SDK's own (internal) switch, as its http/json protocol uses it. */
  private static LogRecordExporter sdkExporter(RouterHarness router, boolean json, String compression)
      throws Exception {
    OtlpHttpLogRecordExporterBuilder builder = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(router.url(HttpServer.OTLP_LOGS_ROUTE)).setCompression(compression);
    if (json) {
      java.lang.reflect.Field delegate = OtlpHttpLogRecordExporterBuilder.class.getDeclaredField("delegate");
      delegate.setAccessible(true);
      ((io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder) delegate.get(builder)).exportAsJson();
    }
    return builder.build();
  }

  private static String attribute(TestDatabase db, String service, int row, String path) throws Exception {
    return Rows.of(db, "source = '" + service + "'").get(row).get("attributes") == null ? null
        : new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Rows.of(db, "source = '" + service + "'").get(row).get("attributes"))
            .at(pointer(path)).asText(null);
  }

  /** "$.a.\"b.c\"" → "/a/b.c" */
  private static String pointer(String path) {
    StringBuilder p = new StringBuilder();
    for (String part : path.substring(2).split("\\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
      p.append('/').append(part.replace("\"", ""));
    }
    return p.toString();
  }

  private static ExportLogsServiceRequest request(String service, LogRecord... records) {
    return OtlpBodies.request(service, records);
  }

  private static KeyValue kv(String key, AnyValue value) {
    return OtlpBodies.kv(key, value);
  }

  private static AnyValue text(String s) {
    return OtlpBodies.text(s);
  }

  static HttpResponse<byte[]> post(RouterHarness router, byte[] body, String contentType) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(router.url(HttpServer.OTLP_LOGS_ROUTE)))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}

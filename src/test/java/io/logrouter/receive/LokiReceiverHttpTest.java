package io.logrouter.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.http.HttpServer;
import io.logrouter.receive.loki.LokiPush;
import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** Loki push end to end: the Loki4j Logback appender (snappy protobuf and JSON) → router → MySQL rows. */
class LokiReceiverHttpTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path queueDir;

  @Test
  void theLoki4jAppenderInProtobufAndJsonLandsAsRows() throws Exception {
    try (TestDatabase db = TestDatabase.create("loki_client");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      long before = System.currentTimeMillis();
      logThroughLoki4j(router, true, "checkout-loki-pb");
      logThroughLoki4j(router, false, "checkout-loki-json");
      Await.until("6 Loki4j events queued", Duration.ofSeconds(20), () -> router.router().gate().backlogEvents() == 6);
      assertEquals(6, router.flush());
      for (String service : List.of("checkout-loki-pb", "checkout-loki-json")) {
        List<Map<String, String>> rows = new java.util.ArrayList<>(Rows.of(db, "source = '" + service + "'"));
        rows.sort(java.util.Comparator.comparing(row -> row.get("message")));
        assertEquals(3, rows.size(), service + ": " + rows);
        assertEquals("cart emptied", rows.get(0).get("message"));
        assertEquals("WARN", rows.get(0).get("level"), "level from structured metadata");
        assertEquals("order placed", rows.get(1).get("message"));
        assertEquals("INFO", rows.get(1).get("level"));
        assertEquals("payment failed", rows.get(2).get("message"));
        assertEquals("ERROR", rows.get(2).get("level"));
        JsonNode attributes = JSON.readTree(rows.get(1).get("attributes"));
        assertEquals("shop", attributes.get("app").asText(), "labels are attributes: " + attributes);
        assertEquals("loki-test", attributes.get("logger").asText(), "structured metadata is kept: " + attributes);
        long ts = java.sql.Timestamp.valueOf(rows.get(1).get("ts")).getTime()
            + java.util.TimeZone.getDefault().getOffset(before);
        assertTrue(Math.abs(ts - before) < 60_000, "event time from the entry: " + rows.get(1).get("ts"));
      }
    }
  }

  @Test
  void handMadePushesMapLabelsTimesAndErrorsAsLokiDoes() throws Exception {
    try (TestDatabase db = TestDatabase.create("loki_hand");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      String json = "{\"streams\":[{\"stream\":{\"job\":\"cron\",\"severity\":\"warning\"},\"values\":["
          + "[\"1764496800123456789\",\"backup started\"],"
          + "[\"1764496801000000000\",\"backup failed\",{\"level\":\"error\",\"trace_id\":\"abc\"}]]}]}";
      HttpResponse<String> r = post(router, json.getBytes(StandardCharsets.UTF_8), "application/json");
      assertEquals(204, r.statusCode(), r.body());
      LokiPush.PushRequest push = LokiPush.PushRequest.newBuilder().addStreams(LokiPush.StreamAdapter.newBuilder()
          .setLabels("{app=\"web\", service_name=\"front \\\"door\\\"\"}")
          .addEntries(LokiPush.EntryAdapter.newBuilder().setLine("GET /")
              .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_764_496_802L).setNanos(5_000)))).build();
      r = post(router, Snappy.compress(push.toByteArray()), "application/x-protobuf");
      assertEquals(204, r.statusCode(), r.body());
      assertEquals(3, router.flush());
      List<Map<String, String>> cron = Rows.of(db, "source = 'cron'");
      assertEquals("2025-11-30 10:00:00.123456", cron.get(0).get("ts"));
      assertEquals("WARN", cron.get(0).get("level"), "severity label → level");
      assertEquals("ERROR", cron.get(1).get("level"), "structured metadata wins over the label");
      assertEquals("abc", JSON.readTree(cron.get(1).get("attributes")).get("trace_id").asText());
      List<Map<String, String>> web = Rows.of(db, "source = 'front \"door\"'");
      assertEquals(1, web.size(), "service_name beats app; escaped quotes in label values");
      assertEquals("2025-11-30 10:00:02.000005", web.get(0).get("ts"));

      HttpResponse<String> bad = post(router, push.toByteArray(), "application/x-protobuf");
      assertEquals(400, bad.statusCode(), "protobuf that is not snappy-compressed");
      assertTrue(bad.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      assertTrue(bad.body().contains("snappy"), bad.body());
      bad = post(router, "{\"streams\":[{\"stream\":{},\"values\":[[\"yesterday\",\"x\"]]}]}".getBytes(), "application/json");
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().contains("timestamp"), bad.body());
      assertEquals(415, post(router, new byte[] {1}, "text/csv").statusCode());
      assertEquals(0, router.router().gate().backlogEvents(), "refused pushes queue nothing");
    }
  }

  /** Three events through a real Loki4j appender in its own Logback context (the router's own logging is untouched). */
  private static void logThroughLoki4j(RouterHarness router, boolean protobuf, String service) throws Exception {
    String xml = "<configuration>"
        + "<appender name='LOKI' class='com.github.loki4j.logback.Loki4jAppender'>"
        + "<http><url>" + router.url(HttpServer.LOKI_PUSH_ROUTE) + "</url>"
        + "<useProtobufApi>" + protobuf + "</useProtobufApi></http>"
        + "<labels>app = shop\nservice_name = " + service + "</labels>"
        + "<message><pattern>%msg</pattern></message>"
        + "<batch><timeoutMs>200</timeoutMs></batch>"
        + "</appender><root level='INFO'><appender-ref ref='LOKI'/></root></configuration>";
    LoggerContext context = new LoggerContext();
    context.setName("loki-test-" + service);
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // a fresh context has none
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    org.slf4j.Logger log = context.getLogger("loki-test");
    log.info("order placed");
    log.warn("cart emptied");
    log.error("payment failed");
    context.stop(); // drains the appender's batch
  }

  private static HttpResponse<String> post(RouterHarness router, byte[] body, String contentType) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(router.url(HttpServer.LOKI_PUSH_ROUTE)))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package io.logrouter.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;
import io.logrouter.event.LogEvent;
import io.logrouter.event.RecordBuffer;
import io.logrouter.event.RecordReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bulk subset on plain bytes: per-item answers in order, ECS mapping, _id as the event key. */
class ElasticsearchReceiverTest {
  private static final long RECEIVED = 1_700_000_000_000_000L;
  private final ElasticsearchReceiver receiver = new ElasticsearchReceiver(1000, 1000, 30, 1 << 20,
      new RecentKeys<>(1000, 60_000, System::currentTimeMillis));

  private record Result(JsonNode reply, List<LogEvent> events) {}

  private Result bulk(String path, String body) throws Exception {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ReceivedRequest request = new ReceivedRequest(path, "application/x-ndjson", h -> null, b, b.length, RECEIVED);
    RecordBuffer document = new RecordBuffer(256);
    EventWriter writer = new EventWriter(1 << 20);
    writer.begin(document);
    ElasticsearchReceiver.Items items = receiver.decode(request, writer);
    int n = writer.finish();
    List<LogEvent> events = new ArrayList<>();
    if (n > 0) {
      new RecordReader().read(ByteBuffer.wrap(document.array(), 0, document.length()), 1, events);
    }
    Reply reply = receiver.accepted(request, items, n);
    assertEquals(200, reply.status());
    return new Result(new ObjectMapper().readTree(reply.body()), events);
  }

  @Test
  void anIdAcceptedBeforeIsAConflictForCreateAndANoopForIndexAndIsNotWrittenAgain() throws Exception {
    Result first = bulk("/logs/_bulk", """
        {"create":{"_id":"a"}}
        {"message":"one"}
        {"create":{"_id":"a"}}
        {"message":"one again, same request"}
        """);
    assertEquals(1, first.events().size(), "a duplicate _id inside one request is written once");
    JsonNode items = first.reply().get("items");
    assertEquals(201, items.get(0).get("create").get("status").intValue());
    assertEquals(409, items.get(1).get("create").get("status").intValue());
    assertEquals("version_conflict_engine_exception", items.get(1).get("create").get("error").get("type").textValue());
    assertTrue(first.reply().get("errors").booleanValue(), "Elasticsearch reports a conflict as an item error");

    Result retry = bulk("/logs/_bulk", """
        {"create":{"_id":"a"}}
        {"message":"one, retried"}
        {"index":{"_id":"a"}}
        {"message":"one, re-indexed"}
        {"create":{"_id":"b"}}
        {"message":"two"}
        """);
    assertEquals(List.of("two"), retry.events().stream().map(LogEvent::message).toList());
    JsonNode again = retry.reply().get("items");
    assertEquals(409, again.get(0).get("create").get("status").intValue());
    assertEquals(200, again.get(1).get("index").get("status").intValue());
    assertEquals("noop", again.get(1).get("index").get("result").textValue());
    assertEquals(201, again.get(2).get("create").get("status").intValue());
  }

  @Test
  void idsOfARequestThatWasNotAcceptedAreNotRemembered() throws Exception {
    byte[] b = "{\"create\":{\"_id\":\"c\"}}\n{\"message\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
    ReceivedRequest request = new ReceivedRequest("/logs/_bulk", "application/x-ndjson", h -> null, b, b.length, RECEIVED);
    EventWriter writer = new EventWriter(1 << 20);
    writer.begin(new RecordBuffer(256));
    receiver.decode(request, writer); // then the append fails: accepted() is never called
    Result retry = bulk("/logs/_bulk", "{\"create\":{\"_id\":\"c\"}}\n{\"message\":\"x\"}\n");
    assertEquals(1, retry.events().size());
    assertEquals(201, retry.reply().get("items").get(0).get("create").get("status").intValue());
  }

  @Test
  void filebeatStyleDocumentsMapToEvents() throws Exception {
    Result r = bulk("/_bulk", """
        {"create":{"_index":"filebeat-8.17.0","_id":"abc"}}
        {"@timestamp":"2024-05-01T10:00:00.123Z","message":"GET / 200","log":{"level":"warning","file":{"path":"/var/log/x"}},"service":{"name":"web"},"host":{"name":"h1"},"n":1.50}
        {"index":{"_index":"logs"}}
        {"@timestamp":1714557600000,"message":"second","log.level":"error","host":{"name":"h2"}}
        """);
    assertEquals(false, r.reply().get("errors").booleanValue());
    assertEquals(2, r.events().size());
    LogEvent first = r.events().get(0);
    assertEquals(1_714_557_600_123_000L, first.tsMicros());
    assertEquals("WARN", first.level());
    assertEquals("web", first.source());
    assertEquals("GET / 200", first.message());
    assertEquals("abc", first.key(), "the action's _id is the event's de-duplication key");
    assertEquals("{\"log\":{\"level\":\"warning\",\"file\":{\"path\":\"/var/log/x\"}},\"service\":{\"name\":\"web\"},"
        + "\"host\":{\"name\":\"h1\"},\"n\":1.50,\"_index\":\"filebeat-8.17.0\"}", first.attributes());
    LogEvent second = r.events().get(1);
    assertEquals("ERROR", second.level());
    assertEquals("h2", second.source(), "host.name when there is no service.name");
    assertEquals(1_714_557_600_000_000L, second.tsMicros(), "epoch millis");
    assertNull(second.key());
    JsonNode items = r.reply().get("items");
    assertEquals(201, items.get(0).get("create").get("status").intValue());
    assertEquals("abc", items.get(0).get("create").get("_id").textValue());
    assertEquals("created", items.get(1).get("index").get("result").textValue());
    assertEquals("logs", items.get(1).get("index").get("_index").textValue());
  }

  @Test
  void invalidItemsGetTheirOwn400AndDoNotBlockTheValidOnes() throws Exception {
    Result r = bulk("/app/_bulk", """
        {"create":{}}
        {"message":"ok 1"}
        {"create":{"_id":"2"}}
        {"message":"broken
        {"create":{}}
        {"@timestamp":"yesterday","message":"bad time"}
        {"delete":{"_id":"9"}}
        {"create":{}}
        {"message":"ok 2","log":{"level":"%s"}}
        {"update":{"_id":"5"}}
        {"doc":{"a":1}}
        {"create":{}}
        {"message":"\\ud800"}
        {"create":{}}
        ["not an object"]
        {"create":{}}
        {"message":"ok 3"}
        """.formatted("L".repeat(17)).replace("\"ok 2\"", "\"ok 2 long level\""));
    JsonNode items = r.reply().get("items");
    assertEquals(true, r.reply().get("errors").booleanValue());
    assertEquals(9, items.size());
    int[] expected = {201, 400, 400, 400, 400, 400, 400, 400, 201};
    for (int i = 0; i < expected.length; i++) {
      JsonNode item = items.get(i).elements().next();
      assertEquals(expected[i], item.get("status").intValue(), "item " + i + ": " + item);
      if (expected[i] == 400) {
        assertTrue(item.get("error").get("reason").textValue().length() > 5, item.toString());
      }
    }
    assertTrue(items.get(3).has("delete"));
    assertTrue(items.get(4).get("create").get("error").get("reason").textValue().contains("level"));
    assertEquals(List.of("ok 1", "ok 3"), r.events().stream().map(LogEvent::message).toList());
    assertTrue(r.events().get(0).attributes().endsWith("\"_index\":\"app\"}"), "the index of the path");
  }

  @Test
  void malformedActionLinesRefuseTheWholeRequest() {
    for (String bad : List.of("", "\n\n", "not json\n{}\n", "{\"create\":{}}\n", "[1]\n{}\n", "{\"create\":1}\n{}\n",
        "{\"create\":{}} x\n{}\n")) {
      InvalidEventException e = assertThrows(InvalidEventException.class, () -> bulk("/i/_bulk", bad), bad);
      assertEquals(400, e.status(), bad);
    }
    assertThrows(InvalidEventException.class, () -> bulk("/_bulk", "{\"create\":{}}\n{\"message\":\"x\"}\n"),
        "no index anywhere");
    byte[] err = ElasticsearchReceiver.error(400, "why");
    assertEquals("{\"error\":{\"root_cause\":[{\"type\":\"illegal_argument_exception\",\"reason\":\"why\"}],"
        + "\"type\":\"illegal_argument_exception\",\"reason\":\"why\"},\"status\":400}", new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void mediaTypesOfTheClients() {
    for (String ok : new String[] {null, "application/x-ndjson", "application/json",
        "application/vnd.elasticsearch+x-ndjson; compatible-with=9"}) {
      assertNull(receiver.unsupportedType(new ReceivedRequest("/_bulk", ok, h -> null, null, 0, 0)), ok);
    }
    assertTrue(receiver.unsupportedType(new ReceivedRequest("/_bulk", "text/xml", h -> null, null, 0, 0)) != null);
  }
}

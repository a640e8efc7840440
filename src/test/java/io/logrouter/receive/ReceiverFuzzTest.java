package io.logrouter.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.http.HttpServer;
import io.logrouter.receive.loki.LokiPush;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Seeded malformed and hostile bodies (like reliability/ParserFuzzTest) at POST /v1/logs and POST
 * /loki/api/v1/push, protobuf and JSON: a 2xx or a 4xx, never a 5xx; a refused request queues nothing;
 * every queued event reaches MySQL and none is refused there.
 */
class ReceiverFuzzTest {
  private static final int CASES = Integer.getInteger("fuzz.cases", 2_000);
  private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path queueDir;

  private record Target(String route, String contentType, byte[] seed, boolean snappy) {}

  @Test
  void malformedOtlpAndLokiBodiesGet4xxAndNeverAServerError() throws Exception {
    List<Target> targets = List.of(
        new Target(HttpServer.OTLP_LOGS_ROUTE, "application/x-protobuf", otlpProtobuf(), false),
        new Target(HttpServer.OTLP_LOGS_ROUTE, "application/json", otlpJson(), false),
        new Target(HttpServer.LOKI_PUSH_ROUTE, "application/x-protobuf", lokiProtobuf(), true),
        new Target(HttpServer.LOKI_PUSH_ROUTE, "application/json", lokiJson(), false));
    try (TestDatabase db = TestDatabase.create("rfuzz");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      Random random = new Random(SEED);
      List<String> wrong = new ArrayList<>();
      long accepted = 0;
      for (int i = 0; i < CASES; i++) {
        Target target = targets.get(i % targets.size());
        byte[] body = mutate(target, random);
        long before = router.router().gate().backlogEvents();
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(router.url(target.route())))
            .header("Content-Type", target.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        long queued = router.router().gate().backlogEvents() - before;
        if (r.statusCode() >= 200 && r.statusCode() < 300) {
          accepted += queued;
        } else if (r.statusCode() < 400 || r.statusCode() >= 500 || queued != 0) {
          wrong.add("case " + i + " " + target.route() + " " + target.contentType() + " -> " + r.statusCode()
              + " queued " + queued + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
      }
      assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers, e.g. " + wrong.subList(0, Math.min(5, wrong.size())));
      assertEquals(200, router.get("/health").status());
      assertEquals(accepted, router.flush());
      assertEquals(accepted, db.queryLong("SELECT COUNT(*) FROM logs"), "every accepted event is stored");
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"), "nothing MySQL refuses got through");
      System.out.printf("receiver fuzz: %d cases (seed %d), %d events accepted%n", CASES, SEED, accepted);
    }
  }

  private static byte[] mutate(Target target, Random random) throws Exception {
    byte[] seed = target.seed();
    byte[] body = switch (random.nextInt(8)) {
      case 0 -> Arrays.copyOf(seed, random.nextInt(seed.length)); // truncated
      case 1 -> flip(seed, random, 1 + random.nextInt(4));
      case 2 -> insert(seed, random);
      case 3 -> { // garbage
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        yield b;
      }
      case 4 -> target.contentType().endsWith("json") ? deepJson(random.nextInt(2000)) : deepProtobuf(random);
      case 5 -> new byte[0];
      case 6 -> flip(seed, random, 20);
      default -> seed.clone();
    };
    if (target.snappy() && random.nextInt(4) != 0) {
      return random.nextBoolean() ? Snappy.compress(body) : flip(Snappy.compress(body), random, 1);
    }
    return body;
  }

  private static byte[] flip(byte[] seed, Random random, int count) {
    byte[] b = seed.clone();
    for (int k = 0; k < count && b.length > 0; k++) {
      b[random.nextInt(b.length)] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static byte[] insert(byte[] seed, Random random) {
    int at = random.nextInt(seed.length + 1);
    byte[] extra = new byte[1 + random.nextInt(8)];
    random.nextBytes(extra);
    byte[] b = new byte[seed.length + extra.length];
    System.arraycopy(seed, 0, b, 0, at);
    System.arraycopy(extra, 0, b, at, extra.length);
    System.arraycopy(seed, at, b, at + extra.length, seed.length - at);
    return b;
  }

  private static byte[] deepJson(int depth) {
    return ("{\"resourceLogs\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** An attribute nested 1 to 200 levels: past the attribute depth limit, or past protobuf's recursion limit. */
  private static byte[] deepProtobuf(Random random) {
    AnyValue value = OtlpBodies.text("leaf");
    int depth = 1 + random.nextInt(200);
    for (int i = 0; i < depth; i++) {
      value = i % 2 == 0 ? AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value)).build()
          : AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
              .addValues(OtlpBodies.kv("k", value))).build();
    }
    return OtlpBodies.request("deep", LogRecord.newBuilder().setBody(OtlpBodies.text("x"))
        .addAttributes(OtlpBodies.kv("nested", value)).build()).toByteArray();
  }

  private static byte[] otlpProtobuf() {
    return OtlpBodies.request("fuzz",
        LogRecord.newBuilder().setTimeUnixNano(1_764_496_800_000_000_000L).setSeverityText("warn")
            .setBody(OtlpBodies.text("one")).addAttributes(OtlpBodies.kv("n",
                AnyValue.newBuilder().setDoubleValue(1.5).build())).build(),
        LogRecord.newBuilder().setSeverityNumberValue(17).setBody(AnyValue.newBuilder().setArrayValue(
            ArrayValue.newBuilder().addValues(OtlpBodies.text("a")))).build()).toByteArray();
  }

  private static byte[] otlpJson() {
    return ("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"f\"}}]},"
        + "\"scopeLogs\":[{\"scope\":{\"name\":\"s\"},\"logRecords\":[{\"timeUnixNano\":\"1764496800000000000\","
        + "\"severityNumber\":9,\"body\":{\"stringValue\":\"hi\"},\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
        + "\"attributes\":[{\"key\":\"a\",\"value\":{\"intValue\":\"3\"}}]}]}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] lokiProtobuf() {
    return LokiPush.PushRequest.newBuilder().addStreams(LokiPush.StreamAdapter.newBuilder()
        .setLabels("{app=\"fuzz\", level=\"info\"}")
        .addEntries(LokiPush.EntryAdapter.newBuilder().setLine("l1")
            .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_764_496_800L))
            .addStructuredMetadata(LokiPush.LabelPairAdapter.newBuilder().setName("trace").setValue("t")))).build()
        .toByteArray();
  }

  private static byte[] lokiJson() {
    return ("{\"streams\":[{\"stream\":{\"app\":\"fuzz\"},\"values\":[[\"1764496800000000000\",\"l1\"],"
        + "[\"1764496800000000001\",\"l2\",{\"level\":\"debug\"}]]}]}").getBytes(StandardCharsets.UTF_8);
  }
}

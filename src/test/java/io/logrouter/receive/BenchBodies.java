package io.logrouter.receive;

import com.google.protobuf.ByteString;
import io.logrouter.receive.loki.LokiPush;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.xerial.snappy.Snappy;

/**
 * Writes the request bodies of bench/receivers.sh: {@code otlp-1000.pb} (an ExportLogsServiceRequest of
 * 1,000 log records) and {@code loki-1000.pb.snappy} (a snappy PushRequest of 10 streams x 100 entries),
 * records shaped like an instrumented service's: ~100-byte message, severity, time, 3 attributes,
 * trace and span ids. Run: {@code java -cp target/test-classes:target/log-router.jar
 * io.logrouter.receive.BenchBodies DIR}.
 */
public final class BenchBodies {
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"};

  private BenchBodies() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    Random random = new Random(11);
    long t0 = 1_764_496_800_000_000_000L;
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < 1000; i++) {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      random.nextBytes(trace);
      random.nextBytes(span);
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(t0 + i * 1_000_000L)
          .setSeverityText(LEVELS[i % LEVELS.length]).setBody(OtlpBodies.text(line(i)))
          .addAttributes(OtlpBodies.kv("http.route", OtlpBodies.text("/api/orders/{id}")))
          .addAttributes(OtlpBodies.kv("user.id", AnyValue.newBuilder().setIntValue(1000 + i).build()))
          .addAttributes(OtlpBodies.kv("duration_ms", AnyValue.newBuilder().setDoubleValue(i * 0.37).build()))
          .setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span)));
    }
    ExportLogsServiceRequest otlp = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(OtlpBodies.kv("service.name", OtlpBodies.text("checkout")))
            .addAttributes(OtlpBodies.kv("host.name", OtlpBodies.text("web-7")))
            .addAttributes(OtlpBodies.kv("deployment.environment", OtlpBodies.text("prod"))))
        .addScopeLogs(scope.setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
            .setName("io.shop.checkout").setVersion("2.3.1")))).build();
    Files.write(dir.resolve("otlp-1000.pb"), otlp.toByteArray());

    LokiPush.PushRequest.Builder push = LokiPush.PushRequest.newBuilder();
    for (int s = 0; s < 10; s++) {
      LokiPush.StreamAdapter.Builder stream = LokiPush.StreamAdapter.newBuilder()
          .setLabels("{app=\"checkout\", env=\"prod\", host=\"web-" + s + "\", level=\"" + LEVELS[s % LEVELS.length]
              .toLowerCase() + "\"}");
      for (int i = 0; i < 100; i++) {
        long nanos = t0 + (s * 100L + i) * 1_000_000L;
        stream.addEntries(LokiPush.EntryAdapter.newBuilder().setLine(line(s * 100 + i))
            .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(nanos / 1_000_000_000L)
                .setNanos((int) (nanos % 1_000_000_000L)))
            .addStructuredMetadata(LokiPush.LabelPairAdapter.newBuilder().setName("trace_id")
                .setValue(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()))));
      }
      push.addStreams(stream);
    }
    Files.write(dir.resolve("loki-1000.pb.snappy"), Snappy.compress(push.build().toByteArray()));
  }

  private static String line(int i) {
    return "order " + (100_000 + i) + " placed by customer " + (i * 7919 % 100_000)
        + " total 42.50 EUR items 3 via web checkout flow step confirm";
  }
}

package io.logrouter.receive;

import io.logrouter.event.AttributeWriter;
import io.logrouter.event.EventWriter;
import io.logrouter.event.IngestParser;
import io.logrouter.event.RecordBuffer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU cost of decoding the bench bodies into a queue document on one thread (no HTTP, no append):
 * thread CPU time, so the figure holds on a machine shared with other work. Run after BenchBodies:
 * {@code java -cp target/test-classes:target/log-router.jar io.logrouter.receive.BenchDecode DIR}.
 */
public final class BenchDecode {
  private BenchDecode() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    measure("otlp protobuf", new OtlpLogsReceiver(100_000, BenchDecode::attributes),
        Files.readAllBytes(dir.resolve("otlp-1000.pb")));
    measure("loki protobuf", new LokiReceiver(100_000, 64L << 20, BenchDecode::attributes),
        Files.readAllBytes(dir.resolve("loki-1000.pb.snappy")));
  }

  private static AttributeWriter attributes() {
    return new AttributeWriter(Integer.MAX_VALUE, IngestParser.MAX_ATTRIBUTE_DEPTH);
  }

  private static <S> void measure(String name, Receiver<S> receiver, byte[] body) throws Exception {
    ReceivedRequest request = new ReceivedRequest("/", "application/x-protobuf", h -> null, body, body.length,
        1_764_496_800_000_000L);
    EventWriter writer = new EventWriter(1 << 20);
    RecordBuffer document = new RecordBuffer(1 << 20);
    var bean = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 3; round++) {
      long events = 0;
      long cpu0 = bean.getCurrentThreadCpuTime();
      for (int i = 0; i < 2_000; i++) {
        document.clear();
        writer.begin(document);
        receiver.decode(request, writer);
        events += writer.finish();
      }
      double seconds = (bean.getCurrentThreadCpuTime() - cpu0) / 1e9;
      System.out.printf("RESULT decode %s: %.0f events per CPU-second (round %d)%n", name, events / seconds, round);
    }
  }
}

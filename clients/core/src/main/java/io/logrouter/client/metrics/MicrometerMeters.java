package io.logrouter.client.metrics;

import io.logrouter.client.metrics.ClientCounters.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The counters as Micrometer meters on {@link Metrics#globalRegistry}. Only loaded by
 * {@link OptionalMicrometer} once it has seen Micrometer on the classpath: the client never requires it.
 */
public final class MicrometerMeters implements AutoCloseable {
  private final List<Meter> meters = new ArrayList<>();

  private MicrometerMeters() {
  }

  static AutoCloseable bind(String client, ClientCounters c, LongSupplier bufferBytes) {
    MicrometerMeters m = new MicrometerMeters();
    MeterRegistry r = Metrics.globalRegistry;
    m.meters.add(FunctionCounter.builder("logrouter.client.events.sent", c, ClientCounters::sentEvents)
        .tag("client", client).description("Events the router accepted").register(r));
    for (DropReason reason : DropReason.values()) {
      m.meters.add(FunctionCounter.builder("logrouter.client.events.dropped", c, x -> x.dropped(reason))
          .tag("client", client).tag("reason", reason.tag()).description("Events dropped, by reason").register(r));
    }
    m.meters.add(FunctionCounter.builder("logrouter.client.retries", c, ClientCounters::retries)
        .tag("client", client).description("Batch send attempts that were retried").register(r));
    m.meters.add(FunctionCounter.builder("logrouter.client.events.spilled", c, ClientCounters::spilledEvents)
        .tag("client", client).description("Events written to the spill directory").register(r));
    m.meters.add(Gauge.builder("logrouter.client.buffer.bytes", bufferBytes, LongSupplier::getAsLong)
        .tag("client", client).description("Bytes of encoded events waiting in memory").register(r));
    return m;
  }

  @Override
  public void close() {
    for (Meter meter : meters) {
      Metrics.globalRegistry.remove(meter);
    }
    meters.clear();
  }
}

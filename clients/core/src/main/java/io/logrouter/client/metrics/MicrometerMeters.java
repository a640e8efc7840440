package io.logrouter.client.metrics;

import io.logrouter.client.metrics.ClientCounters.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * A client's counters as Micrometer meters, tagged {@code client=<name>}. Every meter reads the
 * client's own counter when the registry asks (function counters and gauges), so meters and JMX
 * always agree and the logging thread does no extra work. The names are listed in clients/README.md.
 *
 * <p>Applications with their own registry move a client's meters there:
 * <pre>{@code
 * MicrometerMeters.bindTo(appender.client().meters(), registry);
 * }</pre>
 * Loaded only by applications that have Micrometer ({@link ClientMeters} checks first).
 */
public final class MicrometerMeters implements AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  private MicrometerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the client's meters on {@code registry}, removing them from where they were. */
  public static void bindTo(ClientMeters client, MeterRegistry registry) {
    client.replace(register(client, registry));
  }

  static void bindToGlobalRegistry(ClientMeters client) {
    bindTo(client, Metrics.globalRegistry);
  }

  private static MicrometerMeters register(ClientMeters m, MeterRegistry registry) {
    MicrometerMeters r = new MicrometerMeters(registry);
    ClientCounters c = m.counters;
    Tags tags = Tags.of("client", m.client);
    r.counter("logrouter.client.events.sent", tags, "Events the router accepted", c, ClientCounters::sentEvents);
    r.counter("logrouter.client.batches.sent", tags, "Requests the router accepted", c, ClientCounters::sentBatches);
    for (DropReason reason : DropReason.values()) {
      r.counter("logrouter.client.events.dropped", tags.and("reason", reason.tag()), "Events dropped, by reason",
          c, x -> x.dropped(reason));
    }
    r.counter("logrouter.client.retries", tags, "Batch sends that failed and were retried", c, ClientCounters::retries);
    r.counter("logrouter.client.failovers", tags, "Switches to another router URL", c, ClientCounters::failovers);
    r.counter("logrouter.client.events.spilled", tags, "Events written to the spill directory", c, ClientCounters::spilledEvents);
    r.counter("logrouter.client.events.replayed", tags, "Spilled events sent from disk", c, ClientCounters::replayedEvents);
    r.gauge("logrouter.client.buffer.bytes", tags, "Bytes of captured events held in memory", m.bufferBytes);
    r.gauge("logrouter.client.spill.bytes", tags, "Bytes in the spill directory", m.spillBytes);
    return r;
  }

  private void counter(String name, Tags tags, String help, ClientCounters c, ToLongFunction<ClientCounters> value) {
    // The registry holds c weakly: the client holds it for as long as it lives.
    meters.add(FunctionCounter.builder(name, c, x -> value.applyAsLong(x)).tags(tags).description(help).register(registry));
  }

  private void gauge(String name, Tags tags, String help, LongSupplier value) {
    // Held strongly: a method reference made for the gauge alone would be collected, and the gauge read NaN.
    meters.add(Gauge.builder(name, value, LongSupplier::getAsLong).tags(tags).description(help).baseUnit("bytes")
        .strongReference(true).register(registry));
  }

  @Override
  public void close() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
    meters.clear();
  }
}

package io.logrouter.flush;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.BatchSource;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.sink.BatchSink;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Collects the flusher's parts; every one is required except the parker and the stall timeout. */
public final class FlusherBuilder {
  /** No last index given: the flusher asks the queue itself. */
  static final long UNKNOWN_INDEX = Long.MIN_VALUE;

  BatchSource source;
  BatchSink sink;
  BacklogGate gate;
  FlushPolicy policy;
  CircuitBreaker breaker;
  RouterMetrics metrics;
  LongSupplier nanoClock = System::nanoTime;
  Flusher.Parker parker = Flusher.Parker.SLEEP;
  Duration stallTimeout = Duration.ofMinutes(2);
  LaneLayout layout = LaneLayout.SINGLE;
  String threadSuffix = "";
  long lastIndexAtStart = UNKNOWN_INDEX;

  public FlusherBuilder source(BatchSource v) { source = v; return this; }
  public FlusherBuilder sink(BatchSink v) { sink = v; return this; }
  public FlusherBuilder gate(BacklogGate v) { gate = v; return this; }
  public FlusherBuilder policy(FlushPolicy v) { policy = v; return this; }
  public FlusherBuilder breaker(CircuitBreaker v) { breaker = v; return this; }
  public FlusherBuilder metrics(RouterMetrics v) { metrics = v; return this; }
  public FlusherBuilder nanoClock(LongSupplier v) { nanoClock = v; return this; }
  public FlusherBuilder parker(Flusher.Parker v) { parker = v; return this; }
  public FlusherBuilder stallTimeout(Duration v) { stallTimeout = v; return this; }
  /**
   * The queue's last index before ingest started, read once for all lanes: after a kill -9 during a
   * cycle roll, Chronicle needs seconds to answer it until the next append, and each lane asking again
   * would add that much to the start.
   */
  public FlusherBuilder lastIndexAtStart(long v) { lastIndexAtStart = v; return this; }
  /** This flusher is lane {@code lane} of {@code lanes} ({@link FlushLanes}); its threads are named after it. */
  public FlusherBuilder lane(int lane, int lanes, LaneLayout v) {
    layout = v;
    threadSuffix = lanes == 1 ? "" : "-lane-" + lane;
    return this;
  }

  public Flusher build() {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(metrics, "metrics");
    return new Flusher(this);
  }
}

package io.logrouter.flush;

import io.logrouter.threads.RouterThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The router's flushers: {@code flush.lanes} of them, each a {@link Flusher} with its own connection,
 * its own share of the queue ({@link io.logrouter.buffer.LaneShare}) and its own offsets row, so
 * exactly-once holds per lane and a database that scales with concurrent writers gets them. The rest of
 * the router sees one flusher: this class answers for all lanes (the worst state, the oldest event, the
 * sum of the backlog).
 */
public final class FlushLanes {
  private final List<Flusher> lanes;
  /**
   * Looks at every lane once a second and logs a stall when it begins and ends: /ready and the metric ask
   * only when someone looks, and a stalled flusher thread cannot log for itself.
   */
  private final ScheduledExecutorService watch = RouterThreads.scheduler("flush-watch");

  /** @param lane builds lane {@code i}: a flusher given {@link FlusherBuilder#lane} */
  public FlushLanes(int count, IntFunction<Flusher> lane) {
    List<Flusher> built = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      built.add(lane.apply(i));
    }
    this.lanes = List.copyOf(built);
  }

  public int count() {
    return lanes.size();
  }

  public void start() {
    lanes.forEach(Flusher::start);
    watch.scheduleWithFixedDelay(RouterThreads.guarded("flush stall watch", this::watchLanes), 1, 1, TimeUnit.SECONDS);
  }

  /** Logs each lane's stall when it begins and when it ends ({@link Flusher#watch}). */
  private void watchLanes() {
    for (int i = 0; i < lanes.size(); i++) {
      lanes.get(i).watch(lanes.size() == 1 ? "" : "flush lane " + i + ": ");
    }
  }

  /** Flushes everything appended before this call, in every lane; completes with the rows written. */
  public CompletableFuture<Long> requestFlush() {
    CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
    for (Flusher lane : lanes) {
      total = total.thenCombine(lane.requestFlush(), Long::sum);
    }
    return total;
  }

  /** Final flush of every lane side by side, each bounded by the timeout. */
  public void stop(long timeoutNanos) throws InterruptedException {
    lanes.forEach(l -> l.beginStop(timeoutNanos));
    for (Flusher lane : lanes) {
      lane.awaitStop(timeoutNanos);
    }
    watch.shutdownNow();
  }

  /** True while any lane's thread runs. */
  public boolean isRunning() {
    return lanes.stream().anyMatch(Flusher::isRunning);
  }

  /** The worst lane's circuit: open if any is open, half-open if any probes. */
  public CircuitBreaker.State dbState() {
    CircuitBreaker.State worst = CircuitBreaker.State.CLOSED;
    for (Flusher lane : lanes) {
      CircuitBreaker.State s = lane.dbState();
      if (s == CircuitBreaker.State.OPEN || (s == CircuitBreaker.State.HALF_OPEN && worst == CircuitBreaker.State.CLOSED)) {
        worst = s;
      }
    }
    return worst;
  }

  /** Receive time (micros) of the oldest event read and not yet committed in any lane, or 0. */
  public long oldestPendingMicros() {
    long oldest = 0;
    for (Flusher lane : lanes) {
      long o = lane.oldestPendingMicros();
      if (o != 0 && (oldest == 0 || o < oldest)) {
        oldest = o;
      }
    }
    return oldest;
  }

  /** Queue documents not yet committed, all lanes. */
  public long backlogDocuments() {
    return lanes.stream().mapToLong(Flusher::backlogDocuments).sum();
  }

  /** Why a lane is not doing its job (the first found, named when there are several lanes), or null. */
  public String stallReason() {
    for (int i = 0; i < lanes.size(); i++) {
      String reason = lanes.get(i).stallReason();
      if (reason != null) {
        return lanes.size() == 1 ? reason : "flush lane " + i + ": " + reason;
      }
    }
    return null;
  }

  /** Each lane's last flush failure ("lane K: ..."), or "" when none failed: for diagnostics. */
  public String lastFailures() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lanes.size(); i++) {
      String failure = lanes.get(i).lastFailure();
      if (failure != null) {
        out.append(out.length() == 0 ? "" : "; ").append("lane ").append(i).append(": ").append(failure);
      }
    }
    return out.toString();
  }
}

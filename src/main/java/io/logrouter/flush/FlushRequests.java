package io.logrouter.flush;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Explicit flushes ("flush now": /admin/flush, tests, shutdown): any thread adds one; the flusher thread
 * takes them, noting how far the queue went at that moment, and completes each once everything up to
 * there is committed, with the rows written since.
 */
final class FlushRequests {
  private record Waiting(CompletableFuture<Long> done, long rowsAtRequest, long untilIndex) {}

  private final ConcurrentLinkedQueue<CompletableFuture<Long>> incoming = new ConcurrentLinkedQueue<>();
  /** Flusher thread only. */
  private final List<Waiting> waiting = new ArrayList<>();

  /** Any thread: a new request; the caller wakes the flusher. */
  CompletableFuture<Long> add() {
    CompletableFuture<Long> done = new CompletableFuture<>();
    incoming.add(done);
    return done;
  }

  /** @return true when new requests arrived; they wait for {@code lastIndex}, the queue's end now */
  boolean take(long rowsFlushed, long lastIndex) {
    boolean any = false;
    CompletableFuture<Long> done;
    while ((done = incoming.poll()) != null) {
      waiting.add(new Waiting(done, rowsFlushed, lastIndex));
      any = true;
    }
    return any;
  }

  boolean anyWaiting() {
    return !waiting.isEmpty();
  }

  /** Completes the requests whose documents are all committed (all of them when stopping). */
  void complete(long committedIndex, long rowsFlushed, boolean stopping) {
    waiting.removeIf(r -> {
      if (r.untilIndex > committedIndex && !stopping) {
        return false;
      }
      r.done.complete(rowsFlushed - r.rowsAtRequest);
      return true;
    });
  }

  /** Fails every request, those not taken yet included. */
  void fail(Throwable cause) {
    take(0, 0);
    waiting.forEach(r -> r.done.completeExceptionally(cause));
    waiting.clear();
  }
}

package io.logrouter.client.send;

import java.net.URI;
import java.util.List;

/**
 * Which router the next attempt goes to: the first URL while it answers; the next one after a
 * failure; the first again once {@code failbackAfterMs} has passed since the last failover. Shared
 * by the sender threads (one call per attempt: a monitor costs nothing that matters here).
 */
public final class RouterPool {
  private final List<URI> urls;
  private final long failbackAfterNanos;
  private int current;
  private int failuresInRound;
  private long failedOverAt;

  public RouterPool(List<URI> urls, long failbackAfterMs) {
    this.urls = urls;
    this.failbackAfterNanos = failbackAfterMs * 1_000_000L;
  }

  public synchronized URI current() {
    if (current != 0 && failuresInRound == 0 && System.nanoTime() - failedOverAt >= failbackAfterNanos) {
      current = 0; // fail back: the preferred router gets another chance
    }
    return urls.get(current);
  }

  public int size() {
    return urls.size();
  }

  /**
   * The current router failed: move to the next. Returns true when every router has failed in a
   * row (a full round), i.e. when the caller should back off before trying again.
   */
  public synchronized boolean failed() {
    failuresInRound++;
    if (urls.size() > 1) {
      current = (current + 1) % urls.size();
      failedOverAt = System.nanoTime();
    }
    if (failuresInRound >= urls.size()) {
      failuresInRound = 0;
      return true;
    }
    return false;
  }

  public synchronized void succeeded() {
    failuresInRound = 0;
  }
}

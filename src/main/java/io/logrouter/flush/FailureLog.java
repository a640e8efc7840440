package io.logrouter.flush;

import java.util.concurrent.TimeUnit;

/**
 * Which flush failures get a log line: not every attempt of an outage, but never a silent streak either —
 * the first of a streak, a breaker change, a new kind of error, or a minute since the last line (a
 * Galera test once retried for minutes with nothing logged). Owned by the flusher thread.
 */
final class FailureLog {
  private static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

  private String lastLogged;
  private long lastLoggedNanos;

  /** @param firstOrChange the first failure of a streak, or the breaker changed state */
  boolean due(String failure, boolean firstOrChange, long nowNanos) {
    if (firstOrChange || !failure.equals(lastLogged) || nowNanos - lastLoggedNanos >= PERIOD_NANOS) {
      lastLogged = failure;
      lastLoggedNanos = nowNanos;
      return true;
    }
    return false;
  }
}

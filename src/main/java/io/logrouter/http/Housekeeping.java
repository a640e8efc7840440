package io.logrouter.http;

import io.logrouter.threads.RouterThreads;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the access-control state and the one background thread that maintains it: polling the API
 * key file and forgetting idle rate-limit buckets. Requests never wait for this thread.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  /**
   * How often refilled rate-limit buckets are dropped. Memory is capped by ratelimit.max.clients
   * anyway; sweeping every 10 s keeps the map near the number of clients active in the last 10 s.
   */
  private static final long SWEEP_PERIOD_MILLIS = 10_000;

  private final ApiKeyStore keys;
  private final RateLimiter limiter;
  private final long pollMillis;
  private ScheduledExecutorService scheduler;

  private Housekeeping(ApiKeyStore keys, RateLimiter limiter, long pollMillis) {
    this.keys = keys;
    this.limiter = limiter;
    this.pollMillis = pollMillis;
  }

  /**
   * {@code announce}: log whether keys are required; not for the start-up warm-up's scratch server, whose
   * settings are not the router's.
   */
  static Housekeeping create(HttpSettings s, boolean announce) {
    ApiKeyStore keys = new ApiKeyStore(s.apiKeys(), s.apiKeysFile());
    RateLimiter limiter = s.rateLimitPerSecond() == 0 ? null
        : new RateLimiter(s.rateLimitPerSecond(), s.rateLimitBurst(), s.rateLimitMaxClients(), System::nanoTime);
    if (announce) {
      announceAccess(keys, s);
    }
    return new Housekeeping(keys, limiter, s.apiKeysFilePoll().toMillis());
  }

  private static void announceAccess(ApiKeyStore keys, HttpSettings s) {
    if (keys.enforced()) {
      LOG.info("API keys required on ingest and query routes ({} configured{})", keys.current().size(),
          s.apiKeysFile() == null ? "" : ", file " + s.apiKeysFile() + " polled every " + s.apiKeysFilePoll());
    } else {
      LOG.warn("no API keys configured (auth.api.keys, auth.api.keys.file): ingest and query are open to every "
          + "client that reaches the port; /admin/* answers loopback clients only");
    }
  }

  ApiKeyStore keys() {
    return keys;
  }

  /** @return null when no rate limit is configured */
  RateLimiter limiter() {
    return limiter;
  }

  synchronized void start() {
    if (scheduler != null || (limiter == null && !keys.enforced())) {
      return;
    }
    scheduler = RouterThreads.scheduler("log-router-http-housekeeping");
    if (keys.enforced()) {
      scheduler.scheduleWithFixedDelay(RouterThreads.guarded("API key file reload", keys::reloadIfChanged),
          pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }
    if (limiter != null) {
      scheduler.scheduleWithFixedDelay(RouterThreads.guarded("rate limiter sweep", limiter::sweep),
          SWEEP_PERIOD_MILLIS, SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}

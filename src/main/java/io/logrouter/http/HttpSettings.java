package io.logrouter.http;

import io.logrouter.config.ConfigKeys;
import io.logrouter.config.RouterConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the HTTP layer needs from the configuration beyond the routes' parts: listeners, TLS,
 * timeouts, request limits, API keys and the rate limit.
 *
 * @param tlsKeystore null when there is no HTTPS listener
 * @param apiKeysFile null when there is no key file
 * @param rateLimitPerSecond 0 = no rate limit
 * @param maxInflightBodyBytes already resolved: "auto" is a quarter of the maximum heap
 */
public record HttpSettings(String host, int port, boolean httpEnabled, int ioThreads, Path tlsKeystore,
    String tlsPassword, int tlsPort, Duration idleTimeout, Duration requestParseTimeout, Duration requestBodyTimeout,
    long requestBodyMinRate, Duration requestBodyMinRateGrace, long maxInflightBodyBytes, int maxConnections, int maxEventsPerRequest,
    int maxAttributes, int maxAttributeDepth, String apiKeys, Path apiKeysFile, Duration apiKeysFilePoll,
    int rateLimitPerSecond, int rateLimitBurst, int rateLimitMaxClients, Duration dedupWindow) {

  public static HttpSettings from(RouterConfig c) {
    String keystore = c.get(ConfigKeys.HTTP_TLS_KEYSTORE);
    String keysFile = c.get(ConfigKeys.AUTH_API_KEYS_FILE);
    return new HttpSettings(c.get(ConfigKeys.HTTP_HOST), c.get(ConfigKeys.HTTP_PORT), c.get(ConfigKeys.HTTP_ENABLED),
        c.get(ConfigKeys.HTTP_IO_THREADS), keystore.isBlank() ? null : Path.of(keystore),
        c.get(ConfigKeys.HTTP_TLS_KEYSTORE_PASSWORD), c.get(ConfigKeys.HTTP_TLS_PORT),
        c.get(ConfigKeys.HTTP_IDLE_TIMEOUT), c.get(ConfigKeys.HTTP_REQUEST_PARSE_TIMEOUT),
        c.get(ConfigKeys.HTTP_REQUEST_BODY_TIMEOUT), c.get(ConfigKeys.HTTP_REQUEST_BODY_MIN_RATE),
        c.get(ConfigKeys.HTTP_REQUEST_BODY_MIN_RATE_GRACE), inflightBodyBytes(c.get(ConfigKeys.HTTP_MAX_INFLIGHT_BODY_BYTES)),
        c.get(ConfigKeys.HTTP_MAX_CONNECTIONS),
        c.get(ConfigKeys.HTTP_MAX_EVENTS_PER_REQUEST), c.get(ConfigKeys.EVENT_MAX_ATTRIBUTES),
        c.get(ConfigKeys.EVENT_MAX_ATTRIBUTES_DEPTH), c.get(ConfigKeys.AUTH_API_KEYS),
        keysFile.isBlank() ? null : Path.of(keysFile), c.get(ConfigKeys.AUTH_API_KEYS_FILE_POLL),
        c.get(ConfigKeys.RATELIMIT_REQUESTS_PER_SECOND), c.get(ConfigKeys.RATELIMIT_BURST),
        c.get(ConfigKeys.RATELIMIT_MAX_CLIENTS), c.get(ConfigKeys.DEDUP_WINDOW));
  }

  /**
   * The same server on loopback only, on a free port, in plain HTTP, without API keys or a rate limit: the
   * start-up warm-up's scratch server ({@code io.logrouter.warmup}), which only the router itself calls.
   */
  HttpSettings onLoopbackForWarmup() {
    return new HttpSettings("127.0.0.1", 0, true, ioThreads, null, "", -1, idleTimeout, requestParseTimeout,
        requestBodyTimeout, requestBodyMinRate, requestBodyMinRateGrace, maxInflightBodyBytes, maxConnections,
        maxEventsPerRequest, maxAttributes, maxAttributeDepth, "", null, apiKeysFilePoll, 0, rateLimitBurst,
        rateLimitMaxClients, dedupWindow);
  }

  /** 0 stands for "auto" (see ConfigKeys.HTTP_MAX_INFLIGHT_BODY_BYTES). */
  private static long inflightBodyBytes(long configured) {
    return configured > 0 ? configured : BodyBudget.defaultFor(Runtime.getRuntime());
  }

  /** Never prints the password or the keys. */
  @Override
  public String toString() {
    return "HttpSettings[" + host + ":" + port + (httpEnabled ? "" : " (off)") + ", tls=" + tlsKeystore + ":" + tlsPort
        + "]";
  }
}

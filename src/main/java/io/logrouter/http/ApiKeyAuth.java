package io.logrouter.http;

import io.logrouter.metrics.RouterMetrics;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Access control in front of every route: API keys with scopes, the loopback rule for admin routes,
 * and the per-client rate limit.
 *
 * <ul>
 *   <li>{@code /health}, {@code /ready}, {@code /metrics}: always open (probes and scrapers).
 *   <li>{@code /ui/…} (the explorer's static files) and a browser's {@code GET /} (a redirect to
 *       them): open; they hold no data, and the page asks for a key to query with.
 *   <li>{@code /admin/*}: an {@code admin} key; with no keys configured, loopback clients only (403).
 *   <li>Everything else: open when no keys are configured; otherwise a key (401 without or with a
 *       wrong one) whose scope covers the route (403): {@code ingest} for the POST ingest routes,
 *       {@code query} for the rest.
 * </ul>
 *
 * <p>Runs on the IO thread before ingest: a few string comparisons, one SHA-256 of the presented
 * key into per-thread buffers, one CAS for the rate limit. No lock, no I/O.
 */
final class ApiKeyAuth implements HttpHandler {
  private static final HttpString X_API_KEY = HttpString.tryFromString("X-API-Key");
  /** Headers a reverse proxy adds: their presence means the loopback peer is not the real client. */
  private static final HttpString[] PROXY_HEADERS = {HttpString.tryFromString("X-Forwarded-For"),
      HttpString.tryFromString("Forwarded"), HttpString.tryFromString("X-Real-IP")};
  /** The route label of every request that matched no route: one series, whatever the path. */
  static final String OTHER_ROUTE = "other";
  private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready", "/metrics");
  /** The ingest routes, and the benchmark's no-op twin so that it pays the same access-control cost. */
  private static final Set<String> INGEST_PATHS = java.util.stream.Stream.concat(HttpServer.INGEST_ROUTES.stream(),
      java.util.stream.Stream.of("/bench/noop")).collect(java.util.stream.Collectors.toUnmodifiableSet());
  private static final int OPEN = 0;

  private final HttpHandler next;
  private final ApiKeyStore keys;
  private final RateLimiter limiter;
  private final RouterMetrics metrics;
  /** Every registered route path: the only route labels besides {@link #OTHER_ROUTE}. */
  private final Set<String> routeTemplates;
  /** One instance for all requests: counts non-ingest requests by route and status when they end. */
  private final ExchangeCompletionListener countRequest;

  /** @param limiter null when there is no rate limit */
  ApiKeyAuth(HttpHandler next, Set<String> routeTemplates, ApiKeyStore keys, RateLimiter limiter,
      RouterMetrics metrics) {
    this.next = next;
    this.routeTemplates = routeTemplates;
    this.keys = keys;
    this.limiter = limiter;
    this.metrics = metrics;
    this.countRequest = (exchange, nextListener) -> {
      metrics.request(routeLabel(exchange), exchange.getStatusCode());
      nextListener.proceed();
    };
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    int access = accessOf(exchange);
    if (access != ApiKeys.INGEST) {
      // The ingest handler counts its own requests; everything else is counted here, once, at the end.
      exchange.addExchangeCompleteListener(countRequest);
    }
    if (access == OPEN) {
      next.handleRequest(exchange);
      return;
    }
    Object client = keys.enforced() ? authenticate(exchange, access) : anonymous(exchange, access);
    if (client == null) {
      return; // refused, answer sent
    }
    if (limiter != null && access != ApiKeys.ADMIN) {
      long waitNanos = limiter.acquire(client);
      if (waitNanos > 0) {
        // Whole seconds, rounded up: Retry-After has no finer unit.
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(seconds));
        refuse(exchange, access, 429, "rate limit exceeded: retry in " + seconds + " s");
        return;
      }
    }
    next.handleRequest(exchange);
  }

  /** @return the key's rate-limit identity, or null after answering 401/403 */
  private Object authenticate(HttpServerExchange exchange, int access) {
    ApiKeys current = keys.current();
    int index = current.match(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION),
        exchange.getRequestHeaders().getFirst(X_API_KEY));
    if (index < 0) {
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
      refuse(exchange, access, 401, index == -2
          ? "missing API key: send Authorization: Bearer <key> or X-API-Key: <key>" : "invalid API key");
      return null;
    }
    if ((current.scopes(index) & access) == 0) {
      refuse(exchange, access, 403, "this API key may not use " + exchange.getRequestMethod() + " "
          + exchange.getRequestPath() + " (needs scope " + scopeName(access) + ")");
      return null;
    }
    return current.id(index);
  }

  /** No keys configured: admin routes for loopback clients only; the client's address is its identity. */
  private Object anonymous(HttpServerExchange exchange, int access) {
    if (access != ApiKeys.ADMIN && limiter == null) {
      return Boolean.TRUE; // open and unlimited: nothing to look up
    }
    InetSocketAddress peer = exchange.getSourceAddress();
    InetAddress address = peer == null ? null : peer.getAddress();
    if (access == ApiKeys.ADMIN && (address == null || !address.isLoopbackAddress())) {
      refuse(exchange, access, 403, "admin routes answer loopback clients only while no API keys are configured");
      return null;
    }
    if (access == ApiKeys.ADMIN && proxied(exchange)) {
      // A reverse proxy on the same host makes every client look like loopback: the proxy's
      // forwarding headers give it away. Production should set keys (README, Security).
      refuse(exchange, access, 403, "admin routes refuse proxied requests (X-Forwarded-For, Forwarded, X-Real-IP) "
          + "while no API keys are configured; set auth.api.keys");
      return null;
    }
    return address == null ? "unknown" : address;
  }

  private static boolean proxied(HttpServerExchange exchange) {
    for (HttpString header : PROXY_HEADERS) {
      if (exchange.getRequestHeaders().contains(header)) {
        return true;
      }
    }
    return false;
  }

  private void refuse(HttpServerExchange exchange, int access, int status, String message) {
    JsonResponses.error(exchange, status, message);
    if (access == ApiKeys.INGEST) {
      metrics.request(exchange.getRequestPath(), status); // one of the fixed INGEST_PATHS
    }
  }

  static int accessOf(HttpServerExchange exchange) {
    String path = exchange.getRequestPath();
    // Prefix, not exact: no spelling of an admin path may slip into a weaker class.
    if (path.startsWith("/admin")) {
      return ApiKeys.ADMIN;
    }
    if (OPEN_PATHS.contains(path) || BrowserRequests.isPageAsset(path)
        || path.equals("/") && BrowserRequests.wantsPage(exchange)) {
      return OPEN;
    }
    if (exchange.getRequestMethod().equals(Methods.POST) && INGEST_PATHS.contains(path)) {
      return ApiKeys.INGEST;
    }
    return ApiKeys.QUERY;
  }

  /**
   * The route label of the requests metric: the template of the route the request matched, or for
   * a request refused before routing (401, 403, 429) the registered path it asked for — a fixed,
   * small set — and {@link #OTHER_ROUTE} for anything else, so no path a client sends adds a series.
   */
  private String routeLabel(HttpServerExchange exchange) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    if (match != null) {
      return match.getMatchedTemplate();
    }
    String path = exchange.getRequestPath();
    return exchange.getStatusCode() != 404 && routeTemplates.contains(path) ? path : OTHER_ROUTE;
  }

  private static String scopeName(int access) {
    return access == ApiKeys.INGEST ? "ingest" : access == ApiKeys.QUERY ? "query" : "admin";
  }
}

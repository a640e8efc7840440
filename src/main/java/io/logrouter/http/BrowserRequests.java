package io.logrouter.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

/**
 * Tells a person's browser from an API client on the routes they share. {@code GET /} is the
 * Elasticsearch version probe for Filebeat, Logstash, Fluent Bit, Vector and the official clients,
 * which send {@code Accept: application/json} (or a vendor JSON type, or nothing); a browser
 * navigating there sends {@code Accept: text/html,…} and is redirected to the explorer.
 */
public final class BrowserRequests {
  /** Where the explorer's page is served from (package io.logrouter.ui). */
  public static final String UI_PATH = "/ui/";

  private BrowserRequests() {}

  /** A GET whose Accept header names HTML: a navigation, not an API call. */
  public static boolean wantsPage(HttpServerExchange exchange) {
    if (!exchange.getRequestMethod().equals(Methods.GET)) {
      return false;
    }
    String accept = exchange.getRequestHeaders().getFirst(Headers.ACCEPT);
    return accept != null && accept.contains("text/html");
  }

  /** The explorer's files: open to everyone (no data in them), like /health. */
  static boolean isPageAsset(String path) {
    return path.equals("/ui") || path.startsWith(UI_PATH);
  }

  /** 302 to {@code location}, with a tiny body for clients that do not follow. */
  public static void redirect(HttpServerExchange exchange, String location) {
    exchange.setStatusCode(302);
    exchange.getResponseHeaders().put(Headers.LOCATION, location);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send("see " + location);
  }
}

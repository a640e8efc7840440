package io.logrouter.ui;

import io.logrouter.http.BrowserRequests;
import io.logrouter.http.JsonResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the explorer's files from the classpath ({@code /ui/*} in the jar), read once at start.
 * Every answer has its content type, an ETag (a hash of the bytes: a browser revalidates and gets
 * 304) and {@code Cache-Control}: {@code no-cache} for the page's own files, which change with each
 * release under the same name, and a year, immutable, for the vendored library, whose file name
 * carries its version. A strict Content-Security-Policy allows this origin only.
 */
public final class UiRoutes {
  /** Every file of src/main/resources/ui; UiRoutesHttpTest checks the list matches the directory. */
  static final List<String> FILES = List.of("index.html", "app.js", "api.js", "chart.js", "state.js", "style.css",
      "uPlot-1.6.32.esm.js", "uPlot-1.6.32.min.css", "uPlot-LICENSE.txt");
  private static final String INDEX = "index.html";
  private static final String NO_CACHE = "no-cache";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
      + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  private static final HttpString CSP_HEADER = HttpString.tryFromString("Content-Security-Policy");
  private static final HttpString NOSNIFF_HEADER = HttpString.tryFromString("X-Content-Type-Options");
  private static final HttpString REFERRER_HEADER = HttpString.tryFromString("Referrer-Policy");

  /** One file, ready to send. */
  private record Asset(byte[] bytes, String contentType, String etag, String cacheControl) {}

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  private UiRoutes() {
    for (String name : FILES) {
      byte[] bytes = read(name);
      assets.put(name, new Asset(bytes, contentType(name), etag(bytes), name.startsWith("uPlot-") ? IMMUTABLE : NO_CACHE));
    }
  }

  /** {@code GET /ui} → {@code /ui/}; {@code GET /ui/} → the page; {@code GET /ui/{file}} → that file. */
  public static void addTo(RoutingHandler routes) {
    UiRoutes ui = new UiRoutes();
    routes.get("/ui", ex -> BrowserRequests.redirect(ex, BrowserRequests.UI_PATH));
    routes.get(BrowserRequests.UI_PATH, ui.serve(INDEX));
    routes.get(BrowserRequests.UI_PATH + "{file}", ui::serveNamed);
  }

  private HttpHandler serve(String name) {
    Asset asset = assets.get(name);
    return exchange -> send(exchange, asset);
  }

  private void serveNamed(HttpServerExchange exchange) {
    String name = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("file");
    Asset asset = assets.get(name);
    if (asset == null) {
      JsonResponses.error(exchange, 404, "no file " + exchange.getRequestPath() + " in the explorer");
      return;
    }
    send(exchange, asset);
  }

  private static void send(HttpServerExchange exchange, Asset asset) {
    var headers = exchange.getResponseHeaders();
    headers.put(Headers.ETAG, asset.etag());
    headers.put(Headers.CACHE_CONTROL, asset.cacheControl());
    headers.put(NOSNIFF_HEADER, "nosniff");
    headers.put(REFERRER_HEADER, "no-referrer");
    headers.put(CSP_HEADER, CSP);
    String ifNoneMatch = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
    if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
      exchange.setStatusCode(304);
      exchange.endExchange();
      return;
    }
    headers.put(Headers.CONTENT_TYPE, asset.contentType());
    exchange.getResponseSender().send(ByteBuffer.wrap(asset.bytes()));
  }

  static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "png" -> "image/png";
      default -> "text/plain; charset=utf-8";
    };
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = UiRoutes.class.getResourceAsStream("/ui/" + name)) {
      if (in == null) {
        throw new IllegalStateException("ui/" + name + " missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

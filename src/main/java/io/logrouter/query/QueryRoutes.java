package io.logrouter.query;

import io.logrouter.http.JsonResponses;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The read side of the router over HTTP: {@code GET /logs} (its own API), {@code GET /event} and
 * {@code GET /logs/retrieve} (the replaced Django and Go systems, same answers as theirs), the
 * explorer's counts ({@code GET /logs/histogram}, {@code GET /logs/sources}) and {@code GET /openapi.json}.
 */
public final class QueryRoutes {
  private static final Set<String> LOGS_PARAMS = Set.of("from", "to", "level", "source", "contains", "q", "limit", "cursor");
  private static final Set<String> HISTOGRAM_PARAMS = Set.of("from", "to", "level", "source", "contains", "q", "buckets");
  private static final Set<String> SOURCES_PARAMS = Set.of("from", "to", "level", "source", "contains", "q", "limit");
  /** Enough quick filters for a page; the long tail is reachable by typing a source. */
  private static final int SOURCES_DEFAULT_LIMIT = 10;
  private static final int SOURCES_MAX_LIMIT = 100;
  /** The replaced systems answered with every match; their clients get the most one page may hold. */
  private static final int ALIAS_DEFAULT_LIMIT = LogQuery.MAX_LIMIT;
  /** The aliases answer bare arrays, so the cursor of the next page travels in this header. */
  static final HttpString NEXT_CURSOR = HttpString.tryFromString("X-Next-Cursor");

  private final LogQueryService service;

  private QueryRoutes(LogQueryService service) {
    this.service = service;
  }

  public static void addTo(RoutingHandler routes, DataSource dataSource) {
    QueryRoutes r = new QueryRoutes(new LogQueryService(dataSource));
    routes.get("/logs", new QueryHandler("GET /logs", r::logs));
    routes.get("/event", new QueryHandler("GET /event", r::event));
    routes.get("/logs/retrieve", new QueryHandler("GET /logs/retrieve", r::retrieve));
    routes.get("/logs/histogram", new QueryHandler("GET /logs/histogram", r::histogram));
    routes.get("/logs/sources", new QueryHandler("GET /logs/sources", r::sources));
    routes.get("/logs/sql", new QueryHandler("GET /logs/sql", r::sql));
    byte[] openApi = openApi();
    routes.get("/openapi.json", exchange -> JsonResponses.send(exchange, 200, openApi));
  }

  private void logs(HttpServerExchange exchange, QueryParams p) throws SQLException {
    p.rejectUnknown(LOGS_PARAMS);
    LogQuery query = matching(p, p.time("from"), p.time("to"), p.limit("limit", LogQuery.DEFAULT_LIMIT), p.cursor("cursor"));
    JsonResponses.send(exchange, 200, LogJson.page(service.find(query)));
  }

  /** Counts per time bucket and level over [from, to] (to defaults to now), for the explorer's chart. */
  private void histogram(HttpServerExchange exchange, QueryParams p) throws SQLException {
    p.rejectUnknown(HISTOGRAM_PARAMS);
    LocalDateTime from = p.time("from");
    if (from == null) {
      throw new BadParameterException("from", "'from' is required: where the histogram's window starts");
    }
    LocalDateTime to = p.time("to");
    LogQuery query = matching(p, from, to == null ? now() : to, 0, null);
    int buckets = p.intInRange("buckets", HistogramBuckets.DEFAULT_BUCKETS, 1, HistogramBuckets.MAX_BUCKETS);
    HistogramBuckets window = HistogramBuckets.of(query.from(), query.to(), buckets);
    JsonResponses.send(exchange, 200, LogJson.histogram(query, service.histogram(query, window)));
  }

  /** The most frequent sources under the same filters, for the explorer's quick filters. */
  private void sources(HttpServerExchange exchange, QueryParams p) throws SQLException {
    p.rejectUnknown(SOURCES_PARAMS);
    LogQuery query = matching(p, p.time("from"), p.time("to"), 0, null);
    int limit = p.intInRange("limit", SOURCES_DEFAULT_LIMIT, 1, SOURCES_MAX_LIMIT);
    JsonResponses.send(exchange, 200, LogJson.sources(service.sources(query, limit)));
  }

  /** {@code {"sql": …}}: what GET /logs runs for these parameters, with the values written in (copy-as-SQL). */
  private void sql(HttpServerExchange exchange, QueryParams p) {
    p.rejectUnknown(LOGS_PARAMS);
    LogQuery query = matching(p, p.time("from"), p.time("to"), p.limit("limit", LogQuery.DEFAULT_LIMIT), p.cursor("cursor"));
    JsonResponses.send(exchange, 200, LogJson.sql(LogSql.forDba(query)));
  }

  /** The filters of GET /logs and the explorer's routes, read by one rule. */
  private LogQuery matching(QueryParams p, LocalDateTime from, LocalDateTime to, int limit, Cursor after) {
    LogQuery query = new LogQuery(from, to, p.level("level"), p.text("source"), p.text("contains"),
        p.filter("q", service), limit, after);
    requireOrdered(query, "from", "to");
    return query;
  }

  /** Now in UTC, to the microsecond as stored. */
  private static LocalDateTime now() {
    return LocalDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  /** Django: {@code GET /event?q=…} → array of events. */
  private void event(HttpServerExchange exchange, QueryParams p) throws SQLException {
    LogQuery query = new LogQuery(null, null, null, null, null, p.filter("q", service),
        p.limit("limit", ALIAS_DEFAULT_LIMIT), p.cursor("cursor"));
    sendArray(exchange, service.find(query), LogJson::djangoEvent);
  }

  /** Go: {@code GET /logs/retrieve?startTime=&endTime=&logLevel=} → array, both ends inclusive. */
  private void retrieve(HttpServerExchange exchange, QueryParams p) throws SQLException {
    LogQuery query = new LogQuery(p.time("startTime"), p.time("endTime"), p.level("logLevel"), null, null, null,
        p.limit("limit", ALIAS_DEFAULT_LIMIT), p.cursor("cursor"));
    requireOrdered(query, "startTime", "endTime");
    sendArray(exchange, service.find(query), LogJson::goLog);
  }

  private static void sendArray(HttpServerExchange exchange, LogPage page, LogJson.Writer writer) {
    if (page.next() != null) {
      exchange.getResponseHeaders().put(NEXT_CURSOR, page.next().encode());
    }
    JsonResponses.send(exchange, 200, LogJson.array(page.rows(), writer));
  }

  /** An inverted window is a client mistake, not an empty result. */
  private static void requireOrdered(LogQuery query, String fromName, String toName) {
    if (query.from() != null && query.to() != null && query.from().isAfter(query.to())) {
      throw new BadParameterException(toName, "'" + toName + "' is before '" + fromName + "'");
    }
  }

  private static byte[] openApi() {
    try (InputStream in = QueryRoutes.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

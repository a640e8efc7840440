package io.logrouter.query;

import io.logrouter.http.JsonResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a query route on a worker thread (JDBC blocks; the IO threads must not) and turns its
 * failures into JSON errors: 400 naming the parameter, 503 when the database cannot answer.
 */
final class QueryHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);
  /** A database outage is usually over in seconds (failover, restart); tell clients to retry soon. */
  private static final String RETRY_AFTER_SECONDS = "5";

  /** One route: reads the parameters, queries, sends the answer. */
  interface Route {
    void answer(HttpServerExchange exchange, QueryParams params) throws SQLException;
  }

  private final String name;
  private final Route route;

  QueryHandler(String name, Route route) {
    this.name = name;
    this.route = route;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (exchange.isInIoThread()) {
      exchange.dispatch(this);
      return;
    }
    try {
      route.answer(exchange, new QueryParams(exchange.getQueryParameters()));
    } catch (BadParameterException e) {
      JsonResponses.error(exchange, 400, e.getMessage(), e.body());
    } catch (SQLTimeoutException e) {
      log.warn("{}: query over {} s: {}", name, LogQueryService.QUERY_TIMEOUT_SECONDS, exchange.getQueryString());
      JsonResponses.error(exchange, 503, "the query took longer than " + LogQueryService.QUERY_TIMEOUT_SECONDS
          + " s; narrow it with from/to or an indexed field (level, source)", Map.of());
    } catch (SQLException e) {
      log.warn("{}: database error: {}", name, e.toString());
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
      JsonResponses.error(exchange, 503, "the log database is not answering; retry later", Map.of());
    }
  }
}

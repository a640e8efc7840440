package io.logrouter.query;

import io.logrouter.http.JsonResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a query route on a worker thread (JDBC blocks; the IO threads must not) and turns its
 * failures into JSON errors: 400 naming the parameter, 503 when the database cannot answer, 500
 * when it answers with an error (a query the router built wrong is a bug to log, not an outage).
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
      if (isUnavailable(e)) {
        log.warn("{}: database unavailable: {}", name, e.toString());
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
        JsonResponses.error(exchange, 503, "the log database is not answering; retry later", Map.of());
      } else {
        // The server answered and refused the statement the router built: a bug (or a schema a DBA
        // changed), not an outage. Retrying would fail alike, so no Retry-After, and the log says why.
        log.error("{}: the database refused the query ({}): {} [{}]", name, exchange.getQueryString(), e.toString(),
            e.getSQLState());
        JsonResponses.error(exchange, 500, "the log database refused the query: " + e.getMessage(), Map.of());
      }
    }
  }

  /**
   * Outage-like failures, worth a retry later: no connection (SQLSTATE class 08, the pool's timeout,
   * a lost link) or the server's own transient refusals (1040 too many connections, 1053 shutting
   * down, 1205 lock wait timeout, 1213 deadlock). Anything else is an error in the query itself.
   */
  static boolean isUnavailable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        int code = sql.getErrorCode();
        if (state != null && state.startsWith("08") || code == 1040 || code == 1053 || code == 1205 || code == 1213) {
          return true;
        }
      }
    }
    return false;
  }
}

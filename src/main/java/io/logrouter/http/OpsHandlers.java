package io.logrouter.http;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.flush.CircuitBreaker;
import io.logrouter.flush.FlushLanes;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.profile.NodeReadiness;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/** Health, readiness, metrics and the admin flush. Blocking ones run on worker threads. */
final class OpsHandlers {
  /** An admin flush of a full 10 MB batch takes about a second; 60 s covers a slow database. */
  private static final long ADMIN_FLUSH_TIMEOUT_SECONDS = 60;
  /** Readiness must answer quickly even when MySQL hangs: a probe times out, it does not queue up. */
  private static final int READY_DB_TIMEOUT_SECONDS = 2;
  private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

  private final BacklogGate gate;
  private final FlushLanes flusher;
  private final DataSource dataSource;
  private final RouterMetrics metrics;
  private final NodeReadiness nodeReadiness;
  private final java.util.function.Supplier<String> othersDown;

  OpsHandlers(HttpServer.Parts parts) {
    this.nodeReadiness = parts.nodeReadiness();
    this.gate = parts.gate();
    this.flusher = parts.flusher();
    this.dataSource = parts.dataSource();
    this.metrics = parts.metrics();
    this.othersDown = parts.othersDown();
  }

  /** Alive, unless the flusher can no longer run at all (then restarting the process is the fix). */
  HttpHandler health() {
    return exchange -> {
      if (!flusher.isRunning() && flusher.stallReason() != null) {
        JsonResponses.error(exchange, 503, flusher.stallReason(), Map.of("status", "failed"));
        return;
      }
      JsonResponses.send(exchange, 200, HEALTHY);
    };
  }

  HttpHandler ready() {
    return blocking(exchange -> {
      String refusal = gate.refusal();
      if (refusal == null) {
        refusal = flusher.stallReason();
      }
      if (refusal == null) {
        refusal = othersDown.get();
      }
      if (refusal != null) {
        JsonResponses.error(exchange, 503, refusal, Map.of("ready", false));
        return;
      }
      try (Connection c = dataSource.getConnection()) {
        if (!c.isValid(READY_DB_TIMEOUT_SECONDS)) {
          throw new SQLException("connection not valid");
        }
        refusal = nodeReadiness.notReadyReason(c);
      } catch (SQLException e) {
        refusal = "MySQL unreachable: " + e.getMessage();
      }
      if (refusal != null) {
        JsonResponses.error(exchange, 503, refusal, Map.of("ready", false));
        return;
      }
      JsonResponses.send(exchange, 200, ("{\"ready\":true,\"backlog_events\":" + gate.backlogEvents()
          + ",\"db\":\"" + dbWord(flusher.dbState()) + "\"}").getBytes(StandardCharsets.US_ASCII));
    });
  }

  /**
   * The breaker's state in an operator's words: "CLOSED" reads as "down" to anyone who does not
   * think in circuit breakers. up: flushes run; down: backing off after failures; probing: one
   * trial flush decides.
   */
  static String dbWord(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> "up";
      case OPEN -> "down";
      case HALF_OPEN -> "probing";
    };
  }

  HttpHandler metrics() {
    return blocking(exchange -> {
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
      exchange.getResponseSender().send(metrics.scrape());
    });
  }

  /** POST /admin/flush: answers after everything accepted before it is committed. */
  HttpHandler flush() {
    return blocking(exchange -> {
      try {
        long rows = flusher.requestFlush().get(ADMIN_FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        JsonResponses.send(exchange, 200, ("{\"flushed\":" + rows + "}").getBytes(StandardCharsets.US_ASCII));
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
        JsonResponses.error(exchange, 503, "flush did not complete: " + cause.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        JsonResponses.error(exchange, 503, "interrupted");
      }
    });
  }

  /** Runs {@code handler} on a worker thread: it may block on JDBC. */
  static HttpHandler blocking(HttpHandler handler) {
    return exchange -> {
      if (exchange.isInIoThread()) {
        exchange.dispatch(handler);
        return;
      }
      handler.handleRequest(exchange);
    };
  }
}

package io.logrouter.query;

import io.logrouter.buffer.LiveTail;
import io.logrouter.http.JsonResponses;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /logs/tail?q=&level=&source=&contains=}: Server-Sent Events of the events accepted from
 * now on, matching the filter, before they reach the database (see {@link LiveTail}). The filters
 * mean what they mean for {@code GET /logs} ({@link TailFilter} evaluates {@code q} in Java); a bad
 * one is a 400 before the stream opens, and beyond {@code tail.max.streams} open streams a 503.
 * Events are capped per stream ({@link TailStream}); an idle stream carries a comment line every
 * heartbeat so proxies keep it open and a client notices a dead one.
 */
public final class TailRoutes {
  private static final Set<String> TAIL_PARAMS = Set.of("level", "source", "contains", "q");
  private static final HttpString NO_PROXY_BUFFERING = HttpString.tryFromString("X-Accel-Buffering");

  private final LiveTail tail;
  private final int maxPerSecond;
  private final long heartbeatMillis;

  private TailRoutes(LiveTail tail, int maxPerSecond, Duration heartbeat) {
    this.tail = tail;
    this.maxPerSecond = maxPerSecond;
    this.heartbeatMillis = heartbeat.toMillis();
  }

  public static void addTo(RoutingHandler routes, LiveTail tail, int maxEventsPerSecond, Duration heartbeat) {
    TailRoutes r = new TailRoutes(tail, maxEventsPerSecond, heartbeat);
    routes.get("/logs/tail", new QueryHandler("GET /logs/tail", r::open));
  }

  private void open(HttpServerExchange exchange, QueryParams p) {
    p.rejectUnknown(TAIL_PARAMS);
    Predicate<TailEvent> filter = filter(p);
    LiveTail.Ticket ticket = tail.reserve();
    if (ticket == null) {
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "10");
      JsonResponses.error(exchange, 503, "live tail: " + tail.maxStreams() + " streams are open (tail.max.streams)"
          + " or the router is stopping; retry later", Map.of("max_streams", tail.maxStreams()));
      return;
    }
    exchange.addExchangeCompleteListener((ex, next) -> {
      ticket.close();
      next.proceed();
    });
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    exchange.getResponseHeaders().put(NO_PROXY_BUFFERING, "no");
    try {
      new ServerSentEventHandler((connection, lastEventId) -> {
        connection.setKeepAliveTime(heartbeatMillis);
        connection.addCloseTask(c -> ticket.close());
        ticket.attach(new TailStream(connection, filter, maxPerSecond));
      }).handleRequest(exchange);
    } catch (Exception e) {
      ticket.close();
      throw new IllegalStateException("cannot open the event stream", e);
    }
  }

  /** level, source and contains as GET /logs reads them, then q; all must hold. */
  private static Predicate<TailEvent> filter(QueryParams p) {
    Predicate<TailEvent> all = e -> true;
    String level = p.level("level");
    if (level != null) {
      all = all.and(e -> e.event().level().equalsIgnoreCase(level));
    }
    String source = p.text("source");
    if (source != null) {
      all = all.and(e -> TailFilter.collatedEquals(e.event().source(), source));
    }
    String contains = p.text("contains");
    if (contains != null) {
      all = all.and(TailFilter.contains(contains, e -> e.event().message()));
    }
    Predicate<TailEvent> q = p.tailFilter("q");
    return q == null ? all : all.and(q);
  }
}

package io.logrouter.http;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.EventQueue;
import io.logrouter.buffer.GroupSync;
import io.logrouter.flush.FlushLanes;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.profile.NodeReadiness;
import io.logrouter.receive.ElasticsearchReceiver;
import io.logrouter.receive.JsonReceiver;
import io.logrouter.receive.LokiReceiver;
import io.logrouter.receive.OtlpLogsReceiver;
import io.logrouter.receive.RecentKeys;
import io.logrouter.receive.Reply;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.xnio.XnioWorker;

/** The Undertow listeners (HTTP and/or HTTPS, see {@link Listeners}) and the routes behind {@link ApiKeyAuth}. */
public final class HttpServer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpServer.class);
  /** Ingest routes: the router's own and those of the systems it replaces (same payload rules). */
  public static final List<String> INGEST_ROUTES = List.of("/log", "/log-event", "/event", "/logs/batch");
  /** Elasticsearch bulk routes (Filebeat, Logstash, Fluent Bit es, Vector elasticsearch). */
  public static final List<String> ELASTICSEARCH_BULK_ROUTES = List.of("/_bulk", "/{index}/_bulk");
  /** OTLP/HTTP logs and Loki push: the routes their shippers are configured with (the public contract). */
  public static final String OTLP_LOGS_ROUTE = "/v1/logs";
  public static final String LOKI_PUSH_ROUTE = "/loki/api/v1/push";
  /** Operations routes, as "METHOD path". */
  public static final List<String> OPS_ROUTES = List.of("GET /health", "GET /ready", "GET /metrics", "GET /status",
      "POST /admin/flush");

  private static final byte[] NOOP_ACCEPTED = "{\"accepted\":1}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Idempotency-Keys answered from memory; older ones are still caught by the flusher (see RecentKeys). */
  private static final int RECENT_KEYS = 50_000;

  private final Undertow undertow;
  private final GracefulShutdownHandler graceful;
  private final Housekeeping housekeeping;
  private final XnioWorker worker;
  private final boolean ownsWorker;

  /**
   * Everything the routes need; {@code groupSync} is null in process durability; {@code othersDown} says
   * why a part outside HTTP and the flush (syslog, live tail) is not running, or null.
   */
  public record Parts(EventQueue queue, BacklogGate gate, GroupSync groupSync, FlushLanes flusher, DataSource dataSource,
      NodeReadiness nodeReadiness, RouterMetrics metrics, long maxBodyBytes, long maxMessageBytes, boolean benchNoop,
      java.util.function.Supplier<String> othersDown) {}

  public HttpServer(HttpSettings settings, Parts parts, java.util.function.Consumer<RoutingHandler> extraRoutes) {
    this(settings, parts, extraRoutes, null);
  }

  /**
   * The start-up warm-up's scratch server ({@code io.logrouter.warmup}): the ingest and operations routes of
   * {@code settings} on loopback ({@link HttpSettings#onLoopbackForWarmup}), on {@code router}'s threads (so the
   * code they run is compiled as the router's will run it), logging nothing about access control.
   */
  public static HttpServer forWarmup(HttpSettings settings, Parts parts, HttpServer router) {
    return new HttpServer(settings.onLoopbackForWarmup(), parts, routes -> { }, router.worker);
  }

  /** {@code sharedWorker}: another server's threads to run on, or null to own threads of its own. */
  private HttpServer(HttpSettings settings, Parts parts, java.util.function.Consumer<RoutingHandler> extraRoutes,
      XnioWorker sharedWorker) {
    ownsWorker = sharedWorker == null;
    worker = ownsWorker ? Listeners.worker(settings) : sharedWorker;
    RouteTable routes = new RouteTable();
    IngestLimits limits = new IngestLimits(parts.maxBodyBytes(), parts.maxMessageBytes(),
        settings.maxEventsPerRequest(), settings.maxAttributes(), settings.maxAttributeDepth(),
        settings.requestBodyTimeout().toMillis(), settings.requestBodyMinRate(),
        settings.requestBodyMinRateGrace().toMillis());
    BodyBudget bodyBudget = new BodyBudget(settings.maxInflightBodyBytes());
    if (settings.maxInflightBodyBytes() < parts.maxBodyBytes()) {
      LOG.warn("http.max.inflight.body.bytes ({} bytes) is below http.max.body.bytes ({} bytes): bodies larger "
          + "than the former are answered 503", settings.maxInflightBodyBytes(), parts.maxBodyBytes());
    }
    parts.metrics().gauge("logrouter.http.inflight.body.bytes",
        "Memory held by request bodies being received (bounded by http.max.inflight.body.bytes)",
        bodyBudget, BodyBudget::usedBytes);
    JsonReceiver json = new JsonReceiver(limits::newParser);
    RecentKeys<Reply> recentKeys = new RecentKeys<>(RECENT_KEYS, settings.dedupWindow().toMillis(), System::currentTimeMillis);
    IngestHandlers ingest = new IngestHandlers(parts, limits, bodyBudget, recentKeys);
    for (String route : INGEST_ROUTES) {
      routes.post(route, ingest.of(route, json));
    }
    ElasticsearchReceiver elasticsearch = new ElasticsearchReceiver(settings.maxEventsPerRequest(),
        settings.maxAttributes(), limits.maxAttributeDepth(), limits.maxMessageBytes(),
        new RecentKeys<>(RECENT_KEYS, settings.dedupWindow().toMillis(), System::currentTimeMillis));
    for (String route : ELASTICSEARCH_BULK_ROUTES) {
      routes.post(route, ElasticsearchRoutes.product(ingest.of(route, elasticsearch)));
      routes.put(route, ElasticsearchRoutes.product(ingest.of(route, elasticsearch)));
    }
    ElasticsearchRoutes.register(routes);
    routes.post(OTLP_LOGS_ROUTE, ingest.of(OTLP_LOGS_ROUTE,
        new OtlpLogsReceiver(limits.maxEvents(), limits::newAttributeWriter)));
    routes.post(LOKI_PUSH_ROUTE, ingest.of(LOKI_PUSH_ROUTE,
        new LokiReceiver(limits.maxEvents(), limits.maxBodyBytes(), limits::newAttributeWriter)));
    OpsHandlers ops = new OpsHandlers(parts);
    routes.get("/health", ops.health());
    routes.get("/ready", ops.ready());
    routes.get("/metrics", ops.metrics());
    routes.get("/status", new PipelineStatus(parts.gate(), parts.flusher(), parts.metrics()).handler());
    routes.post("/admin/flush", ops.flush());
    if (parts.benchNoop()) {
      // Same listener, same body read on the IO thread, same response path: only the work differs.
      routes.post("/bench/noop", ex -> ex.getRequestReceiver().receiveFullBytes(
          (e, body) -> JsonResponses.send(e, 202, NOOP_ACCEPTED)));
    }
    extraRoutes.accept(routes);
    routes.setFallbackHandler(ex -> JsonResponses.error(ex, 404, "no route " + ex.getRequestMethod() + " " + ex.getRequestPath()));
    routes.setInvalidMethodHandler(ex -> JsonResponses.error(ex, 405,
        "method " + ex.getRequestMethod() + " not allowed on " + ex.getRequestPath()));
    housekeeping = Housekeeping.create(settings, ownsWorker); // only the router's own server speaks of access
    graceful = new GracefulShutdownHandler(
        new ApiKeyAuth(routes, routes.templates(), housekeeping.keys(), housekeeping.limiter(), parts.metrics()));
    undertow = Listeners.build(settings, graceful, worker);
  }

  /** Makes the ingest handler of a route for a receiver: everything but the receiver is shared. */
  private record IngestHandlers(Parts parts, IngestLimits limits, BodyBudget budget, RecentKeys<Reply> recentKeys) {
    <S> ReceiverHandler<S> of(String route, io.logrouter.receive.Receiver<S> receiver) {
      return new ReceiverHandler<>(route, receiver, parts.queue(), parts.gate(), parts.groupSync(), parts.metrics(),
          limits, budget, recentKeys);
    }
  }

  public void start() {
    undertow.start();
    housekeeping.start();
  }

  /** The bound plain-HTTP port (useful when configured as 0); -1 when HTTP is off. */
  public int port() {
    return boundPort("http");
  }

  /** The bound HTTPS port; -1 when there is no HTTPS listener. */
  public int tlsPort() {
    return boundPort("https");
  }

  private int boundPort(String protocol) {
    for (Undertow.ListenerInfo info : undertow.getListenerInfo()) {
      if (info.getProtcol().equals(protocol)) {
        return ((InetSocketAddress) info.getAddress()).getPort();
      }
    }
    return -1;
  }

  /** Stops taking requests (new ones get 503), waits for in-flight ones, then closes the listener. */
  public void stop(Duration drainTimeout) {
    graceful.shutdown();
    try {
      graceful.awaitShutdown(drainTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    undertow.stop();
    housekeeping.close();
    if (ownsWorker) {
      // What Undertow's stop does with a worker of its own: let the threads finish what they hold, then end.
      worker.shutdown();
      try {
        worker.awaitTermination();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.shutdownNow();
      }
    }
  }
}

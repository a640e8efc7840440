package io.logrouter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What Elasticsearch clients ask before and besides {@code _bulk}: {@code GET /} (the version they
 * check; a browser asking for HTML is sent to the explorer instead, see {@link BrowserRequests}), and the set-up probes Filebeat, Logstash, Fluent Bit {@code es} and Vector
 * {@code elasticsearch} make at start (license, index and component templates, ILM policies, ingest
 * pipelines, data streams, aliases, cluster health, nodes). Every probe answers that the thing exists
 * or was created, so the client goes on to bulk writes: the router keeps no templates or policies.
 * Every answer carries {@code X-Elastic-Product: Elasticsearch}, which the official clients (8+) check.
 */
final class ElasticsearchRoutes {
  /** The version announced: 8.x is what Beats, Logstash and the clients of 8 and 9 accept. */
  static final String VERSION = "8.17.0";
  static final HttpString PRODUCT_HEADER = new HttpString("X-Elastic-Product");
  /** Probes whose GET answers "{name: {...}}" or the list shape below, PUT/POST "acknowledged". */
  static final List<String> PROBES = List.of("/_index_template/{name}", "/_component_template/{name}",
      "/_template/{name}", "/_ilm/policy/{name}", "/_ingest/pipeline/{name}", "/_data_stream/{name}",
      "/_alias/{name}", "/{index}/_alias/{name}");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] ACKNOWLEDGED = "{\"acknowledged\":true}".getBytes(StandardCharsets.US_ASCII);

  private ElasticsearchRoutes() {}

  /** Adds the Elasticsearch product header to every answer of {@code next}. */
  static HttpHandler product(HttpHandler next) {
    return exchange -> {
      exchange.getResponseHeaders().put(PRODUCT_HEADER, "Elasticsearch");
      next.handleRequest(exchange);
    };
  }

  static void register(RouteTable routes) {
    // A browser opening the router's address gets the explorer; Elasticsearch clients the version.
    routes.get("/", ex -> {
      if (BrowserRequests.wantsPage(ex)) {
        BrowserRequests.redirect(ex, BrowserRequests.UI_PATH);
      } else {
        product(e -> send(e, root())).handleRequest(ex);
      }
    });
    routes.add(Methods.HEAD, "/", product(ex -> send(ex, new byte[0])));
    routes.get("/_license", product(ex -> send(ex, bytes("{\"license\":{\"status\":\"active\",\"uid\":"
        + "\"00000000-0000-0000-0000-000000000000\",\"type\":\"basic\",\"issue_date_in_millis\":0,"
        + "\"max_nodes\":1000,\"issued_to\":\"log-router\",\"issuer\":\"log-router\",\"start_date_in_millis\":-1}}"))));
    routes.get("/_xpack", product(ex -> send(ex, bytes("{\"build\":{},\"license\":{\"status\":\"active\","
        + "\"type\":\"basic\",\"mode\":\"basic\"},\"features\":{\"ilm\":{\"available\":true,\"enabled\":true}}}"))));
    routes.get("/_cluster/health", product(ex -> send(ex, bytes("{\"cluster_name\":\"log-router\",\"status\":\"green\","
        + "\"timed_out\":false,\"number_of_nodes\":1,\"number_of_data_nodes\":1,\"active_primary_shards\":0,"
        + "\"active_shards\":0,\"relocating_shards\":0,\"initializing_shards\":0,\"unassigned_shards\":0}"))));
    HttpHandler nodes = product(ex -> send(ex, bytes("{\"_nodes\":{\"total\":1,\"successful\":1,\"failed\":0},"
        + "\"cluster_name\":\"log-router\",\"nodes\":{}}")));
    routes.get("/_nodes", nodes);
    routes.get("/_nodes/{what}", nodes);
    routes.get("/_nodes/{what}/{detail}", nodes);
    for (String probe : PROBES) {
      HttpHandler exists = product(ex -> send(ex, existing(probe, name(ex))));
      routes.get(probe, exists);
      routes.add(Methods.HEAD, probe, product(ex -> send(ex, new byte[0])));
      routes.put(probe, product(ElasticsearchRoutes::acknowledge));
      routes.post(probe, product(ElasticsearchRoutes::acknowledge));
    }
  }

  /** {@code GET /}: what clients read the version from. */
  static byte[] root() {
    return bytes("{\"name\":\"log-router\",\"cluster_name\":\"log-router\",\"cluster_uuid\":\"log-router\","
        + "\"version\":{\"number\":\"" + VERSION + "\",\"build_flavor\":\"default\",\"build_type\":\"log-router\","
        + "\"lucene_version\":\"9.12.0\",\"minimum_wire_compatibility_version\":\"7.17.0\","
        + "\"minimum_index_compatibility_version\":\"7.0.0\"},\"tagline\":\"You Know, for Search\"}");
  }

  /** The shape each GET probe answers when the thing exists (the clients parse only a little of it). */
  private static byte[] existing(String probe, String name) {
    ObjectNode root = JSON.createObjectNode();
    if (probe.startsWith("/_index_template")) {
      ObjectNode t = root.putArray("index_templates").addObject();
      t.put("name", name);
      t.putObject("index_template").putArray("index_patterns").add(name + "*");
    } else if (probe.startsWith("/_component_template")) {
      root.putArray("component_templates").addObject().put("name", name).putObject("component_template")
          .putObject("template");
    } else if (probe.startsWith("/_data_stream")) {
      root.putArray("data_streams").addObject().put("name", name).put("status", "GREEN");
    } else if (probe.startsWith("/_ilm")) {
      root.putObject(name).put("version", 1).putObject("policy").putObject("phases");
    } else if (probe.startsWith("/_ingest")) {
      root.putObject(name).putArray("processors");
    } else {
      root.putObject(name);
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String name(HttpServerExchange ex) {
    PathTemplateMatch match = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    String name = match == null ? null : match.getParameters().get("name");
    return name == null ? "log-router" : name;
  }

  private static void acknowledge(HttpServerExchange exchange) {
    send(exchange, ACKNOWLEDGED);
  }

  private static void send(HttpServerExchange exchange, byte[] body) {
    JsonResponses.send(exchange, 200, body);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterHarness.Response;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /openapi.json and the real routes agree both ways. */
class OpenApiRoutesTest {
  @TempDir
  Path queueDir;

  @Test
  void everyDocumentedRouteExistsAndEveryRealRouteIsDocumented() throws Exception {
    try (TestDatabase db = TestDatabase.create("openapi");
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of())) {
      Response spec = router.get("/openapi.json");
      assertEquals(200, spec.status());
      JsonNode paths = new ObjectMapper().readTree(spec.body()).get("paths");
      Set<String> documented = new HashSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> path = it.next();
        for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
          String method = methods.next().toUpperCase();
          if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
            continue;
          }
          documented.add(method + " " + path.getKey());
          String concrete = path.getKey().replaceAll("\\{[^}]+}", "sample"); // a template's path parameters
          // An unknown parameter: routes that check them answer 400 at once (GET /logs/tail would stream).
          Response r = method.equals("GET") ? router.get(concrete + "?unknown_parameter=1")
              : router.post(concrete, "{}".getBytes(), "application/json", null);
          assertNotEquals(404, r.status(), method + " " + path.getKey() + " is documented but not served");
          assertNotEquals(405, r.status(), method + " " + path.getKey() + " is documented but not served");
        }
      }
      Set<String> real = new HashSet<>();
      HttpServer.INGEST_ROUTES.forEach(route -> real.add("POST " + route));
      real.addAll(HttpServer.OPS_ROUTES);
      HttpServer.ELASTICSEARCH_BULK_ROUTES.forEach(route -> real.add("POST " + route));
      real.add("POST " + HttpServer.OTLP_LOGS_ROUTE);
      real.add("POST " + HttpServer.LOKI_PUSH_ROUTE);
      for (String route : real) {
        assertTrue(documented.contains(route), route + " is served but not in /openapi.json");
      }
      for (String route : Set.of("GET /logs", "GET /event", "GET /logs/retrieve", "GET /openapi.json", "GET /logs/histogram",
          "GET /logs/sources", "GET /logs/sql", "GET /logs/tail", "GET /ui/")) {
        assertTrue(documented.contains(route), route + " is served but not in /openapi.json");
      }
    }
  }
}

package io.logrouter.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer's files, GET / for browsers and for Elasticsearch clients, GET /status, and what is
 * open when API keys are on. A real router, a client that does not follow redirects.
 */
class UiRoutesHttpTest {
  private static final String KEY = "query-key-0123456789abcdef";
  private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestDatabase db;
  private static RouterHarness open;
  private static RouterHarness keyed;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("ui_routes");
    open = RouterHarness.start(db, dir.resolve("open"), Map.of());
    keyed = RouterHarness.start(db, dir.resolve("keyed"), Map.of("auth.api.keys", KEY + ":query"));
  }

  @AfterAll
  static void stop() {
    keyed.close();
    open.close();
    db.close();
  }

  private static HttpResponse<String> get(RouterHarness router, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(router.url(path)));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBrowserAtTheRootIsSentToTheExplorerAndElasticsearchClientsStillGetTheVersion() throws Exception {
    HttpResponse<String> browser = get(open, "/", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    assertEquals(302, browser.statusCode());
    assertEquals("/ui/", browser.headers().firstValue("Location").orElse(null));
    for (String accept : new String[] {"application/json", "application/vnd.elasticsearch+json; compatible-with=8", "*/*"}) {
      HttpResponse<String> client = get(open, "/", "Accept", accept);
      assertEquals(200, client.statusCode(), accept);
      assertEquals("8.17.0", JSON.readTree(client.body()).get("version").get("number").asText(), accept);
      assertEquals("Elasticsearch", client.headers().firstValue("X-Elastic-Product").orElse(null));
    }
    assertEquals(200, get(open, "/").statusCode(), "no Accept at all: an API client");
    assertEquals(302, get(open, "/ui").statusCode());
  }

  @Test
  void everyFileIsServedWithItsTypeAndCacheHeadersAndRevalidates() throws Exception {
    Set<String> onDisk;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/ui"))) {
      onDisk = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(onDisk, new TreeSet<>(UiRoutes.FILES), "UiRoutes.FILES lists exactly the files of src/main/resources/ui");
    for (String name : UiRoutes.FILES) {
      HttpResponse<String> r = get(open, "/ui/" + name);
      assertEquals(200, r.statusCode(), name);
      assertEquals(UiRoutes.contentType(name), r.headers().firstValue("Content-Type").orElse(null), name);
      assertEquals(Files.readString(Path.of("src/main/resources/ui", name)), r.body(), name);
      String etag = r.headers().firstValue("ETag").orElseThrow();
      assertEquals(name.startsWith("uPlot-") ? "public, max-age=31536000, immutable" : "no-cache",
          r.headers().firstValue("Cache-Control").orElse(null), name);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals(304, get(open, "/ui/" + name, "If-None-Match", etag).statusCode(), name);
    }
    HttpResponse<String> page = get(open, "/ui/");
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\">"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    assertEquals(404, get(open, "/ui/nothing.js").statusCode());
    assertEquals(404, get(open, "/ui/..%2Fopenapi.json").statusCode());
  }

  @Test
  void withKeysThePageIsOpenAndItsDataIsNot() throws Exception {
    assertEquals(200, get(keyed, "/ui/").statusCode());
    assertEquals(200, get(keyed, "/ui/app.js").statusCode());
    assertEquals(302, get(keyed, "/", "Accept", "text/html").statusCode());
    assertEquals(401, get(keyed, "/", "Accept", "application/json").statusCode(), "ES clients still need their key");
    assertEquals(401, get(keyed, "/status").statusCode());
    assertEquals(401, get(keyed, "/logs/histogram?from=2024-01-01").statusCode());
    assertEquals(401, get(keyed, "/logs/tail").statusCode());
    assertEquals(200, get(keyed, "/status", "Authorization", "Bearer " + KEY).statusCode());
    assertEquals(200, get(keyed, "/logs/histogram?from=2024-01-01", "Authorization", "Bearer " + KEY).statusCode());
  }

  @Test
  void statusTellsTheBacklogTheLastFlushAndTheDatabase() throws Exception {
    try (TestDatabase own = TestDatabase.create("ui_status");
        RouterHarness router = RouterHarness.start(own, dir.resolve("status"), Map.of("flush.interval", "1h"))) {
      JsonNode before = JSON.readTree(get(router, "/status").body());
      assertTrue(before.get("last_flush").isNull(), before.toString());
      assertEquals("up", before.get("db").asText());
      assertEquals("accepting", before.get("ingest").asText());
      assertEquals(202, router.post("/log", "[{\"message\":\"a\"},{\"message\":\"b\"},{\"message\":\"c\"}]").status());
      JsonNode queued = JSON.readTree(get(router, "/status").body());
      assertEquals(3, queued.get("backlog_events").asInt(), queued.toString());
      assertTrue(queued.get("backlog_bytes").asLong() > 0);
      router.flush();
      JsonNode flushed = JSON.readTree(get(router, "/status").body());
      assertEquals(0, flushed.get("backlog_events").asInt(), flushed.toString());
      assertTrue(flushed.get("last_flush").asText().endsWith("Z"), flushed.toString());
      assertTrue(flushed.get("rows_per_second").asDouble() > 0, flushed.toString());
      assertTrue(flushed.get("stalled").isNull());
    }
  }
}

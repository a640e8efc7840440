package io.logrouter.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
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
 * open when API keys are on. A real router; TestHttp does not follow redirects.
 */
class UiRoutesHttpTest {
  private static final String KEY = "query-key-0123456789abcdef";
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

  /** A GET that does not follow redirects. */
  private static TestHttp.Response get(RouterHarness router, String path, String... headers) {
    return TestHttp.get(router.url(path), headers);
  }

  @Test
  void aBrowserAtTheRootIsSentToTheExplorerAndElasticsearchClientsStillGetTheVersion() throws Exception {
    TestHttp.Response browser = get(open, "/", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    assertEquals(302, browser.statusCode());
    assertEquals("/ui/", browser.header("Location").orElse(null));
    for (String accept : new String[] {"application/json", "application/vnd.elasticsearch+json; compatible-with=8", "*/*"}) {
      TestHttp.Response client = get(open, "/", "Accept", accept);
      assertEquals(200, client.statusCode(), accept);
      assertEquals("8.17.0", JSON.readTree(client.body()).get("version").get("number").asText(), accept);
      assertEquals("Elasticsearch", client.header("X-Elastic-Product").orElse(null));
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
      TestHttp.Response r = get(open, "/ui/" + name);
      assertEquals(200, r.statusCode(), name);
      assertEquals(UiRoutes.contentType(name), r.header("Content-Type").orElse(null), name);
      assertEquals(Files.readString(Path.of("src/main/resources/ui", name)), r.body(), name);
      String etag = r.header("ETag").orElseThrow();
      assertEquals(name.startsWith("uPlot-") ? "public, max-age=31536000, immutable" : "no-cache",
          r.header("Cache-Control").orElse(null), name);
      assertEquals("nosniff", r.header("X-Content-Type-Options").orElse(null));
      assertEquals(304, get(open, "/ui/" + name, "If-None-Match", etag).statusCode(), name);
    }
    TestHttp.Response page = get(open, "/ui/");
    assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\">"));
    assertTrue(page.header("Content-Security-Policy").orElse("").contains("default-src 'self'"));
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

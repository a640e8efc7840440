package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Elasticsearch bulk subset end to end with the official Node client ({@code @elastic/elasticsearch}
 * from npm, installed by this test into target/), checked by the rows in MySQL.
 */
@org.junit.jupiter.api.Tag("once") // real clients/cluster: the SQL is the flush's, run on both servers elsewhere
class ElasticsearchHttpTest {
  /** 8.19.1: the newest line that runs on the node 20 installed here (9.x needs node 22). */
  static final String CLIENT_VERSION = "8.19.1";
  static final Path NPM_DIR = Path.of("target", "npm-elasticsearch");

  @TempDir
  static Path queueDir;
  static TestDatabase db;
  static RouterHarness router;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("elasticsearch_http");
    router = RouterHarness.start(db, queueDir, Map.of("http.max.body.bytes", "1MB"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  @BeforeEach
  void emptyTable() {
    router.flush();
    db.execute("DELETE FROM logs");
  }

  @Test
  void officialNodeClientBulkWritesLandAsRows() throws Exception {
    installClient();
    Path script = NPM_DIR.resolve("bulk.js");
    Files.writeString(script, """
        const { Client } = require('@elastic/elasticsearch');
        const client = new Client({ node: process.argv[2] });
        (async () => {
          const info = await client.info();
          const ops = [];
          for (let i = 0; i < 500; i++) {
            ops.push({ create: { _index: 'app-logs', _id: 'id-' + i } },
              { '@timestamp': new Date(1714557600000 + i).toISOString(), message: 'event ' + i,
                log: { level: i % 2 ? 'warning' : 'info' }, service: { name: 'node-app' }, n: i });
          }
          const bulk = await client.bulk({ operations: ops });
          const docs = Array.from({ length: 300 }, (_, i) => ({ message: 'helper ' + i, 'log.level': 'error', host: { name: 'h7' } }));
          const stats = await client.helpers.bulk({ datasource: docs, flushBytes: 4000,
            onDocument: () => ({ create: { _index: 'helper-logs' } }) });
          const mixed = await client.bulk({ index: 'mixed', operations: [{ create: {} }, { '@timestamp': 'yesterday', message: 'bad' },
            { create: {} }, { message: 'good' }] });
          console.log(JSON.stringify({ version: info.version.number, errors: bulk.errors, items: bulk.items.length,
            created: bulk.items.filter(i => i.create.status === 201).length, helper: stats,
            mixed: mixed.items.map(i => i.create.status) }));
        })().catch(e => { console.error(e); process.exit(1); });
        """);
    Process p = new ProcessBuilder("node", script.getFileName().toString(), router.url(""))
        .directory(NPM_DIR.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node client finished");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), out);
    JsonNode result = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
    assertEquals(ElasticsearchRoutes.VERSION, result.get("version").textValue());
    assertEquals(false, result.get("errors").booleanValue());
    assertEquals(500, result.get("created").intValue());
    assertEquals(300, result.get("helper").get("successful").intValue(), out);
    assertEquals(0, result.get("helper").get("failed").intValue(), out);
    assertEquals("[400,201]", result.get("mixed").toString(), "a bad item does not block the good one");

    router.flush();
    assertEquals(801, db.queryLong("SELECT COUNT(*) FROM logs"));
    assertEquals(250, db.queryLong("SELECT COUNT(*) FROM logs WHERE source='node-app' AND level='WARN'"
        + " AND JSON_UNQUOTE(JSON_EXTRACT(attributes,'$._index'))='app-logs'"));
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message='event 7' AND ts='2024-05-01 10:00:00.007000'"
        + " AND JSON_EXTRACT(attributes,'$.n')=7"));
    assertEquals(300, db.queryLong("SELECT COUNT(*) FROM logs WHERE source='h7' AND level='ERROR'"
        + " AND message LIKE 'helper %' AND JSON_UNQUOTE(JSON_EXTRACT(attributes,'$._index'))='helper-logs'"));
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message='good'"
        + " AND JSON_UNQUOTE(JSON_EXTRACT(attributes,'$._index'))='mixed'"));
  }

  @Test
  void startUpProbesAnswerWhatClientsNeedToProceed() throws Exception {
    TestHttp.Response root = TestHttp.get(router.url("/"));
    assertEquals(200, root.statusCode());
    assertEquals("Elasticsearch", root.header("X-Elastic-Product").orElse(null));
    assertEquals(ElasticsearchRoutes.VERSION, new ObjectMapper().readTree(root.body()).at("/version/number").textValue());
    assertEquals("active", json(TestHttp.get(router.url("/_license"))).at("/license/status").textValue());
    assertEquals("green", json(TestHttp.get(router.url("/_cluster/health"))).get("status").textValue());
    assertEquals(1, json(TestHttp.get(router.url("/_nodes/_local"))).at("/_nodes/total").intValue());
    assertEquals("filebeat-8.17.0", json(TestHttp.get(router.url("/_index_template/filebeat-8.17.0")))
        .at("/index_templates/0/name").textValue());
    assertTrue(json(TestHttp.get(router.url("/_ilm/policy/filebeat"))).has("filebeat"));
    assertTrue(json(TestHttp.get(router.url("/_ingest/pipeline/p1"))).has("p1"));
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/_index_template/logs", "/_ilm/policy/logs", "/_ingest/pipeline/p1", "/_template/t"}) {
      HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(router.url(path)))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode(), "HEAD " + path);
      HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(router.url(path)))
          .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("{\"acknowledged\":true}", put.body(), "PUT " + path);
      assertEquals("Elasticsearch", put.headers().firstValue("X-Elastic-Product").orElse(null));
    }
  }

  @Test
  void malformedBulkIsA400InElasticsearchShapeAndQueuesNothing() {
    long backlog = router.router().gate().backlogEvents();
    TestHttp.Response r = TestHttp.post(router.url("/logs/_bulk"), "{\"create\":{}}\n{\"message\":\"a\"}\nnot json\n{}\n"
        .getBytes(StandardCharsets.UTF_8), "application/x-ndjson", null);
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("{\"error\":{\"root_cause\":"), r.body());
    assertEquals("Elasticsearch", r.header("X-Elastic-Product").orElse(null));
    assertEquals(backlog, router.router().gate().backlogEvents(), "a refused request queues nothing, not even its valid items");
    TestHttp.Response allBad = TestHttp.post(router.url("/logs/_bulk"), "{\"create\":{}}\n[1]\n"
        .getBytes(StandardCharsets.UTF_8), "application/x-ndjson", null);
    assertEquals(200, allBad.statusCode());
    assertTrue(allBad.body().contains("\"errors\":true") && allBad.body().contains("\"status\":400"), allBad.body());
    assertEquals(backlog, router.router().gate().backlogEvents());
    assertEquals(0, router.flush());
  }

  /** Beats resend a whole bulk after a timeout; the documents it already delivered come back 409, stored once. */
  @Test
  void aResentCreateWithTheSameIdIsAConflictAndLandsOnce() throws Exception {
    byte[] bulk = "{\"create\":{\"_id\":\"resent-1\"}}\n{\"message\":\"resent\"}\n".getBytes(StandardCharsets.UTF_8);
    JsonNode first = json(TestHttp.post(router.url("/filebeat-x/_bulk"), bulk, "application/x-ndjson", null));
    assertEquals(201, first.get("items").get(0).get("create").get("status").intValue());
    JsonNode again = json(TestHttp.post(router.url("/filebeat-x/_bulk"), bulk, "application/x-ndjson", null));
    assertEquals(409, again.get("items").get(0).get("create").get("status").intValue(), again.toString());
    router.flush();
    assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'resent'"));
  }

  private static JsonNode json(TestHttp.Response r) throws IOException {
    assertEquals(200, r.statusCode(), r.body());
    return new ObjectMapper().readTree(r.body());
  }

  /** npm install into target/ once; skips (with the reason) only when node/npm or the registry is out of reach. */
  static void installClient() throws Exception {
    if (Files.isDirectory(NPM_DIR.resolve("node_modules/@elastic/elasticsearch"))) {
      return;
    }
    Files.createDirectories(NPM_DIR);
    Process p;
    try {
      p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", ".",
          "@elastic/elasticsearch@" + CLIENT_VERSION).directory(NPM_DIR.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("npm is not installed here: " + e.getMessage());
      return;
    }
    boolean done = p.waitFor(300, TimeUnit.SECONDS);
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(done && p.exitValue() == 0, "npm install @elastic/elasticsearch failed: " + log);
  }
}

package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.IOException;
import io.logrouter.testsupport.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys and scopes over a real socket; the key file is polled every 100 ms here. */
class ApiKeyAuthHttpTest {
  static final String APP = "app-key-0123456789abcdef";
  static final String INGEST_ONLY = "ingest-key-0123456789abcdef";
  static final String QUERY_ONLY = "query-key-0123456789abcdef";
  static final String ADMIN = "admin-key-0123456789abcdef";
  static final String FROM_FILE = "file-key-0123456789abcdef";
  static final String EVENT = "{\"level\":\"info\",\"message\":\"hello\"}";

  @TempDir
  static Path dir;
  static TestDatabase db;
  static RouterHarness router;
  static Path keyFile;

  @BeforeAll
  static void start() throws IOException {
    db = TestDatabase.create("api_keys");
    keyFile = dir.resolve("keys.txt");
    Files.writeString(keyFile, "# one key a line\n\n" + FROM_FILE + ":ingest\n");
    router = RouterHarness.start(db, dir.resolve("queue"), Map.of(
        "auth.api.keys", APP + ", " + INGEST_ONLY + ":ingest," + QUERY_ONLY + ":query," + ADMIN + ":admin",
        "auth.api.keys.file", keyFile.toString(),
        "auth.api.keys.file.poll", "100ms"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  private static TestHttp.Response ingest(String... headers) {
    return Requests.post(router.url("/log"), EVENT, headers);
  }

  @Test
  void ingestWithoutKeyIs401WhenKeysAreConfigured() {
    TestHttp.Response r = ingest();
    assertEquals(401, r.statusCode());
    assertTrue(r.body().startsWith("{\"error\":\"missing API key"), r.body());
    assertEquals("Bearer", r.header("WWW-Authenticate").orElse(null));
  }

  @Test
  void ingestWithAWrongKeyIs401() {
    assertEquals(401, ingest("Authorization", "Bearer " + APP + "x").statusCode());
    assertEquals(401, ingest("X-API-Key", APP.substring(1)).statusCode());
    assertEquals(401, ingest("Authorization", "Basic " + APP).statusCode(), "Basic carries base64, not the raw key");
    assertEquals(401, ingest("Authorization", "ApiKey " + b64("beats:" + APP + "x")).statusCode());
    assertEquals(401, ingest("Authorization", "ApiKey " + b64(APP)).statusCode(), "no id: colon");
    assertTrue(ingest("X-API-Key", "nope").body().contains("invalid API key"));
  }

  @Test
  void ingestWithAKeyIsAcceptedAsBearerOrXApiKey() {
    assertEquals(202, ingest("Authorization", "Bearer " + APP).statusCode());
    assertEquals(202, ingest("authorization", "bearer " + INGEST_ONLY).statusCode());
    assertEquals(202, ingest("X-API-Key", APP).statusCode());
  }

  /** Filebeat/Logstash {@code api_key: "id:key"} and {@code username/password} reach the router as these. */
  @Test
  void elasticsearchClientsAuthenticateWithApiKeyOrBasicCarryingTheKey() {
    assertEquals(202, ingest("Authorization", "ApiKey " + b64("filebeat:" + APP)).statusCode());
    assertEquals(202, ingest("Authorization", "Basic " + b64("logstash:" + INGEST_ONLY)).statusCode());
  }

  private static String b64(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void queryNeedsAKeyWithQueryScope() {
    assertEquals(401, Requests.get(router.url("/logs")).statusCode());
    TestHttp.Response refused = Requests.get(router.url("/logs"), "X-API-Key", INGEST_ONLY);
    assertEquals(403, refused.statusCode());
    assertTrue(refused.body().contains("needs scope query"), refused.body());
    assertEquals(200, Requests.get(router.url("/logs"), "X-API-Key", QUERY_ONLY).statusCode());
    assertEquals(200, Requests.get(router.url("/logs"), "X-API-Key", APP).statusCode());
  }

  @Test
  void aQueryOnlyKeyCannotIngest() {
    assertEquals(403, ingest("X-API-Key", QUERY_ONLY).statusCode());
  }

  @Test
  void adminFlushNeedsAnAdminKey() {
    String flush = router.url("/admin/flush");
    assertEquals(401, Requests.post(flush, "").statusCode());
    assertEquals(403, Requests.post(flush, "", "X-API-Key", APP).statusCode(), "a bare key is ingest+query only");
    assertEquals(200, Requests.post(flush, "", "Authorization", "Bearer " + ADMIN).statusCode());
  }

  @Test
  void adminKeyDoesNotImplyIngest() {
    assertEquals(403, ingest("X-API-Key", ADMIN).statusCode());
  }

  @Test
  void healthReadyAndMetricsStayOpen() {
    assertEquals(200, Requests.get(router.url("/health")).statusCode());
    assertEquals(200, Requests.get(router.url("/ready")).statusCode());
    assertEquals(200, Requests.get(router.url("/metrics")).statusCode());
  }

  @Test
  void refusalsAreCountedByRouteAndStatus() {
    ingest();
    Requests.get(router.url("/logs"));
    String metrics = Requests.get(router.url("/metrics")).body();
    assertTrue(metrics.contains("logrouter_http_requests_total{route=\"/log\",status=\"401\"}"), metrics);
    assertTrue(metrics.contains("logrouter_http_requests_total{route=\"/logs\",status=\"401\"}"), metrics);
  }

  /** Issue 15: 5,000 unknown paths refused with 401 made 5,000 series; now they are all "other". */
  @Test
  void clientPathsNeverBecomeMetricLabels() {
    for (int i = 0; i < 200; i++) {
      Requests.get(router.url("/x" + i));
      Requests.post(router.url("/y" + i), EVENT, "X-API-Key", APP);
    }
    String metrics = Requests.get(router.url("/metrics")).body();
    assertFalse(metrics.contains("route=\"/x"), "a refused path became a label");
    assertFalse(metrics.contains("route=\"/y"), "an unknown path became a label");
    assertTrue(metrics.contains("logrouter_http_requests_total{route=\"other\",status=\"401\"}"), "counted as other");
    long series = metrics.lines().filter(l -> l.startsWith("logrouter_http_requests_total{")).count();
    assertTrue(series < 40, series + " request series");
  }

  @Test
  void theKeyFileIsReloadedWhenItChanges() throws IOException {
    assertEquals(202, ingest("X-API-Key", FROM_FILE).statusCode());
    String added = "added-key-0123456789abcdef";
    rewrite(FROM_FILE + ":ingest\n" + added + ":all\n");
    Await.until("the added key is accepted", Duration.ofSeconds(30),
        () -> ingest("X-API-Key", added).statusCode() == 202);
    assertEquals(202, ingest("X-API-Key", FROM_FILE).statusCode());
    rewrite(added + ":all\n");
    Await.until("the removed key is refused", Duration.ofSeconds(30),
        () -> ingest("X-API-Key", FROM_FILE).statusCode() == 401);
    rewrite("short\n");
    // An invalid file keeps the previous keys: give the poller many rounds, then check.
    Await.until("several polls passed", Duration.ofSeconds(30), pollsPassed(5));
    assertEquals(202, ingest("X-API-Key", added).statusCode(), "a bad edit keeps the previous keys");
    assertEquals(202, ingest("X-API-Key", APP).statusCode(), "inline keys stay");
  }

  /** Waits about {@code n} poll periods (100 ms each) without asserting on timing. */
  private static java.util.function.BooleanSupplier pollsPassed(int n) {
    long until = System.nanoTime() + Duration.ofMillis(100L * n).toNanos();
    return () -> System.nanoTime() - until > 0;
  }

  /**
   * Replaces the file atomically (write a temp file, rename over), as the docs advise, with a
   * modification time surely different from the last one even on coarse-grained file systems.
   */
  private static void rewrite(String text) throws IOException {
    FileTime before = Files.getLastModifiedTime(keyFile);
    Path temp = keyFile.resolveSibling("keys.txt.tmp");
    Files.writeString(temp, text);
    Instant later = before.toInstant().plusSeconds(1);
    Files.setLastModifiedTime(temp, FileTime.from(later.isAfter(Instant.now()) ? later : Instant.now()));
    Files.move(temp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}

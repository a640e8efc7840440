package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterHarness.Response;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events per request, attributes per event and attribute depth, each at and past its limit. */
class RequestLimitsHttpTest {
  @TempDir
  static Path dir;
  static TestDatabase db;
  static RouterHarness router;

  @BeforeAll
  static void start() {
    db = TestDatabase.create("request_limits");
    router = RouterHarness.start(db, dir, Map.of("http.max.events.per.request", "3", "event.max.attributes", "2",
        "event.max.attributes.depth", "2"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  @Test
  void moreEventsThanTheLimitIs413AndNothingIsQueued() {
    assertEquals(202, router.post("/log", "[{\"message\":\"a\"},{\"message\":\"b\"},{\"message\":\"c\"}]").status());
    Response r = router.post("/log", "[{\"message\":\"a\"},{\"message\":\"b\"},{\"message\":\"c\"},{\"message\":\"d\"}]");
    assertEquals(413, r.status());
    assertTrue(r.body().contains("more than 3 events") && r.body().contains("\"accepted\":0"), r.body());
    Response ndjson = router.post("/log", "{\"message\":\"a\"}\n{}\n{}\n{}\n".getBytes(), "application/x-ndjson", null);
    assertEquals(413, ndjson.status());
  }

  @Test
  void moreAttributesThanTheLimitIs413NamingTheField() {
    assertEquals(202, router.post("/log", "{\"message\":\"m\",\"level\":\"info\",\"a\":1,\"b\":2}").status());
    Response r = router.post("/log", "{\"message\":\"m\",\"a\":1,\"b\":2,\"c\":3}");
    assertEquals(413, r.status());
    assertTrue(r.body().contains("\"field\":\"c\"") && r.body().contains("event.max.attributes"), r.body());
  }

  @Test
  void attributesNestedPastTheDepthAre400() {
    assertEquals(202, router.post("/log", "{\"message\":\"m\",\"a\":{\"b\":[1]}}").status());
    Response r = router.post("/log", "{\"message\":\"m\",\"a\":{\"b\":[[1]]}}");
    assertEquals(400, r.status());
    assertTrue(r.body().contains("nesting is deeper than 2"), r.body());
  }
}

package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.logrouter.sink.DataSources;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * A database that does not answer is a 503 with Retry-After (an outage: retry later); a database
 * that answers with an error is a 500 (the query is wrong: retrying cannot help). And the README's
 * attribute filter answers on every supported server (MariaDB 11.4 returned JSON_UNQUOTE as utf8mb3).
 */
class QueryErrorsHttpTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2024, 10, 8, 0, 0);

  @Test
  void theReadmesAttributeFilterAnswers() throws Exception {
    try (TestDatabase db = TestDatabase.create("query_readme"); QueryServer server = new QueryServer(db.dataSource())) {
      QueryServer.insert(db.dataSource(), T0, "INFO", "order", "the buyer #1 has placed an order",
          "{\"email\":\"diego@chefhero.com\",\"environment\":\"production\",\"data\":{\"key\":123}}");
      var found = server.getJson(200, "/event", "q", "((email eq 'DIEGO@chefhero.com') AND (message ct 'buyer'))");
      assertEquals(1, found.size(), found.toString());
      assertEquals(1, server.getJson(200, "/event", "q", "data.key gte 100").size());
      assertEquals(1, server.getJson(200, "/event", "q", "environment ct 'PROD'").size());
      // MariaDB 11.4's JSON_UNQUOTE turns a 4-byte character into '?': an emoji must still match exactly.
      QueryServer.insert(db.dataSource(), T0.plusHours(1), "INFO", "deploy", "done", "{\"tag\":\"Deploy \uD83D\uDE80\"}");
      assertEquals(1, server.getJson(200, "/event", "q", "tag eq 'deploy \uD83D\uDE80'").size());
      assertEquals(0, server.getJson(200, "/event", "q", "tag eq 'deploy \uD83C\uDF89'").size());
      assertEquals(1, server.getJson(200, "/event", "q", "tag ct '\uD83D\uDE80'").size());
    }
  }

  @Test
  void anErrorTheDatabaseAnswersIsA500NotAnOutage() throws Exception {
    try (TestDatabase db = TestDatabase.create("query_500"); QueryServer server = new QueryServer(db.dataSource())) {
      QueryServer.insert(db.dataSource(), T0, "INFO", "auth", "login", "{}");
      db.execute("ALTER TABLE logs CHANGE message msg MEDIUMTEXT"); // a DBA's change the router's SELECT trips on
      TestHttp.Response r = server.get("/logs");
      assertEquals(500, r.statusCode(), r.body());
      assertNull(r.headers().get("Retry-After"), "no point retrying a query the database refuses");
      assertTrue(r.body().contains("refused the query"), r.body());
    }
  }

  @Test
  void aDatabaseThatDoesNotAnswerIsA503WithRetryAfter() throws Exception {
    try (TestDatabase db = TestDatabase.create("query_503"); TcpProxy proxy = db.startProxy();
        HikariDataSource ds = DataSources.create(db.jdbcUrlThrough(proxy) + "&connectTimeout=2000",
            db.user(), db.password(), 2, "query-503");
        QueryServer server = new QueryServer(ds)) {
      assertEquals(200, server.get("/logs").statusCode());
      proxy.cut();
      TestHttp.Response r = server.get("/logs");
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("5", r.headers().get("Retry-After"), r.headers().toString());
    }
  }
}

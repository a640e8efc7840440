package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recipes of docs/DBA.md, executed as written, and the router working on their result. */
class DbaGuideTest {

  @Test
  void partitionRecipeLetsOneDayBeDroppedAndTheApiKeepsWorking() throws Exception {
    try (TestDatabase db = TestDatabase.create("dba_partition")) {
      LocalDateTime day1 = LocalDateTime.of(2024, 10, 1, 12, 0);
      for (int d = 0; d < 4; d++) {
        QueryServer.insert(db.dataSource(), day1.plusDays(d), "INFO", "s", "day " + (d + 1), "{}");
      }
      DbaGuide.recipe("partition").forEach(db::execute);
      assertEquals(4, db.queryLong("SELECT COUNT(*) FROM information_schema.PARTITIONS"
          + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'logs'"));
      assertEquals("p20241002", partitionsRead(db, "SELECT * FROM logs WHERE ts >= '2024-10-02' AND ts <= '2024-10-02 23:59:59'"));

      DbaGuide.recipe("rotate").forEach(db::execute);
      assertEquals(3, db.queryLong("SELECT COUNT(*) FROM logs"), "day 1 dropped with its partition");
      assertEquals(3, db.queryLong("SELECT SUM(events) FROM log_minute_counts"), "and its per-minute counts");
      assertEquals(3, db.queryLong("SELECT SUM(events) FROM log_source_minute_counts"));
      QueryServer.insert(db.dataSource(), LocalDateTime.of(2024, 10, 4, 20, 0), "WARN", "s", "tomorrow", "{}");
      assertEquals(2, db.queryLong("SELECT COUNT(*) FROM logs PARTITION (p20241004)"), "the new day has its own partition");
      LogQueryService service = new LogQueryService(db.dataSource());
      LogPage page = service.find(LogQuery.all(10));
      assertEquals(4, page.rows().size());
      assertEquals("tomorrow", page.rows().get(0).message());
    }
  }

  @Test
  void promotedAttributeColumnIsFoundAndServesEqualityThroughItsIndex() throws Exception {
    try (TestDatabase db = TestDatabase.create("dba_promote")) {
      LocalDateTime t = LocalDateTime.of(2024, 10, 8, 0, 0);
      QueryServer.insert(db.dataSource(), t, "INFO", "s", "one", "{\"email\":\"Diego@ChefHero.com\"}");
      QueryServer.insert(db.dataSource(), t.plusSeconds(1), "INFO", "s", "two", "{\"email\":\"x@y.z\"}");
      String longEmail = "a".repeat(300) + "@example.com";
      QueryServer.insert(db.dataSource(), t.plusSeconds(2), "INFO", "s", "long", "{\"email\":\"" + longEmail + "\"}");
      DbaGuide.recipe("promote-email").forEach(db::execute);
      QueryServer.insert(db.dataSource(), t.plusSeconds(3), "INFO", "s", "after", "{\"email\":\"" + longEmail + "x\"}");

      LogQueryService service = new LogQueryService(db.dataSource());
      assertEquals(Map.of("email", "attr_email"), service.promotedColumns());
      assertEquals("one", findOne(service, "email eq 'diego@chefhero.com'"));
      assertEquals("long", findOne(service, "email eq '" + longEmail + "'"), "exact beyond the column's 255 characters");
      SqlFragment select = LogSql.select(query(service, "email eq 'x@y.z'"));
      try (Connection c = db.dataSource().getConnection();
          var st = LogQueryService.prepare(c, new SqlFragment("EXPLAIN " + select.sql(), select.params()));
          ResultSet rs = st.executeQuery()) {
        rs.next();
        assertEquals("logs_attr_email_ts", rs.getString("key"));
      }
    }
  }

  private static String findOne(LogQueryService service, String q) throws Exception {
    LogPage page = service.find(query(service, q));
    assertEquals(1, page.rows().size(), q);
    return page.rows().get(0).message();
  }

  private static LogQuery query(LogQueryService service, String q) {
    return new LogQuery(null, null, null, null, null, service.parseFilter(q), 10, null);
  }

  private static String partitionsRead(TestDatabase db, String select) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("EXPLAIN PARTITIONS " + select)) {
      assertTrue(rs.next());
      return rs.getString("partitions");
    }
  }
}

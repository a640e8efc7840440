package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.RouterHarness.Response;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: every limit the database enforces is enforced at ingest — an event at the limit is
 * answered 202 and really lands in the logs table, one past it is a 4xx naming the field — so no
 * 202 is followed by a row the database refuses (MariaDB 10.11 and MySQL 8.4 alike: the smaller
 * of their limits).
 */
class DatabaseLimitsHttpTest {
  @TempDir
  Path dir;

  @Test
  void anEventAtEachLimitLandsAndOnePastItIsRefusedNamingTheField() {
    Map<String, String> atLimit = new LinkedHashMap<>();
    atLimit.put("attributes nested 30 deep (MariaDB: 31 levels with the attributes object)",
        "{\"message\":\"deep\",\"a\":" + nested(30) + "}");
    atLimit.put("level of 16 characters (emoji: 16 code points, 32 UTF-16 chars)",
        "{\"level\":\"" + "🚀".repeat(16) + "\",\"message\":\"m\"}");
    atLimit.put("source of 255 characters", "{\"source\":\"" + "é".repeat(255) + "\",\"message\":\"m\"}");
    atLimit.put("earliest DATETIME", "{\"timestamp\":\"1000-01-01T00:00:00Z\",\"message\":\"m\"}");
    atLimit.put("latest DATETIME(6)", "{\"timestamp\":\"9999-12-31T23:59:59.999999Z\",\"message\":\"m\"}");
    atLimit.put("largest double", "{\"message\":\"m\",\"n\":1.7976931348623157e308}");
    // 21,845 x 3 bytes: at MySQL's 65,535-byte key limit.
    atLimit.put("JSON key of 65,535 bytes (MySQL's limit)", "{\"message\":\"m\",\"a\":{\"" + "€".repeat(21_845) + "\":1}}");

    Map<String, String> pastLimit = new LinkedHashMap<>();
    pastLimit.put("a", "{\"message\":\"deep\",\"a\":" + nested(31) + "}");
    pastLimit.put("level", "{\"level\":\"" + "🚀".repeat(17) + "\",\"message\":\"m\"}");
    pastLimit.put("source", "{\"source\":\"" + "é".repeat(256) + "\",\"message\":\"m\"}");
    pastLimit.put("timestamp", "{\"timestamp\":\"0999-12-31T23:59:59.999999Z\",\"message\":\"m\"}");
    pastLimit.put("unix_ts", "{\"unix_ts\":253402300800,\"message\":\"m\"}"); // 10000-01-01
    pastLimit.put("n", "{\"message\":\"m\",\"n\":1.8e308}");

    try (TestDatabase db = TestDatabase.create("db_limits");
        RouterHarness router = RouterHarness.start(db, dir, Map.of())) {
      for (Map.Entry<String, String> e : atLimit.entrySet()) {
        Response r = router.post("/log", e.getValue());
        assertEquals(202, r.status(), e.getKey() + ": " + r.body());
      }
      for (Map.Entry<String, String> e : pastLimit.entrySet()) {
        Response r = router.post("/log", e.getValue());
        assertEquals(400, r.status(), "past the limit of " + e.getKey() + ": " + r.body());
        assertTrue(r.body().contains("\"field\":\"" + e.getKey() + "\""), r.body());
      }
      Response key = router.post("/log", "{\"message\":\"m\",\"a\":{\"" + "€".repeat(21_846) + "\":1}}");
      assertEquals(400, key.status(), key.body());
      assertTrue(key.body().contains("65535") && key.body().contains("\"event\":0"), key.body());
      Response timestampOffset = router.post("/log", "{\"timestamp\":\"9999-12-31T23:00:00-05:00\",\"message\":\"m\"}");
      assertEquals(400, timestampOffset.status(), "year 10000 in UTC: " + timestampOffset.body());

      assertEquals(atLimit.size(), router.flush(), "every event at a limit is flushed");
      assertEquals(atLimit.size(), db.queryLong("SELECT COUNT(*) FROM logs"), "and lands in logs");
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"), "none refused by the database");
      // JSON_DEPTH counts the innermost scalar as a level: 31 nested containers are depth 32.
      assertEquals(32, db.queryLong("SELECT MAX(JSON_DEPTH(attributes)) FROM logs"), "the deep one kept its depth");
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE ts = '1000-01-01 00:00:00'"));
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE ts = '9999-12-31 23:59:59.999999'"));
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE CHAR_LENGTH(level) = 16"));
    }
  }

  /** An attribute value of {@code depth} levels of objects and arrays. */
  private static String nested(int depth) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      s.append(i % 2 == 0 ? "{\"x\":" : "[");
    }
    s.append('1');
    for (int i = depth - 1; i >= 0; i--) {
      s.append(i % 2 == 0 ? "}" : "]");
    }
    return s.toString();
  }
}

package io.logrouter.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.metrics.RouterMetrics;
import io.logrouter.sink.DdlConnections;
import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daily partitions on the real server: conversion, days ahead, expiry, and the router's own run. */
class PartitionRetentionTest {
  @TempDir
  Path dir;

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  private static void insert(TestDatabase db, String... times) {
    for (String ts : times) {
      db.execute("INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id) VALUES ('" + ts
          + "', 'INFO', 's', '" + ts + "', NULL, '" + ts + "', 'r')");
    }
  }

  private static List<String> partitions(TestDatabase db) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA ="
            + " DATABASE() AND TABLE_NAME = 'logs' ORDER BY PARTITION_ORDINAL_POSITION")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void retentionPartitionsByDayCreatesDaysAheadAndDropsExpiredDays() throws SQLException {
    try (TestDatabase db = TestDatabase.create("retention_days")) {
      insert(db, "2024-09-01 08:00:00", "2024-10-02 23:59:59.999999", "2024-10-03 00:00:00", "2024-10-04 10:00:00",
          "2024-10-10 11:00:00", "2030-01-01 00:00:00");
      RouterMetrics metrics = new RouterMetrics();
      PartitionRetention day10 = new PartitionRetention(DdlConnections.runtime(db.dataSource()), 7, 3,
          at("2024-10-10T12:00:00Z"), metrics);

      PartitionRetention.Result first = day10.runOnce();
      assertTrue(first.converted());
      assertEquals(List.of("p20241002"), first.droppedPartitions(), "the day before the cutoff, with all older rows");
      List<String> names = partitions(db);
      assertEquals("p20241003", names.get(0));
      assertEquals("p20241013", names.get(names.size() - 2), "three days ahead of the 10th");
      assertEquals("pfuture", names.get(names.size() - 1));
      assertEquals(4, db.queryLong("SELECT COUNT(*) FROM logs"), "rows before 2024-10-03 are gone");
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE ts = '2030-01-01'"), "the future row is kept");

      PartitionRetention.Result again = day10.runOnce();
      assertEquals(0, again.created());
      assertEquals(List.of(), again.droppedPartitions(), "a second run the same day changes nothing");

      PartitionRetention day12 = new PartitionRetention(DdlConnections.runtime(db.dataSource()), 7, 3,
          at("2024-10-12T00:30:00Z"), new RouterMetrics());
      PartitionRetention.Result later = day12.runOnce();
      assertEquals(List.of("p20241003", "p20241004"), later.droppedPartitions());
      assertEquals(2, later.created());
      assertTrue(partitions(db).contains("p20241015"));
      assertEquals(2, db.queryLong("SELECT COUNT(*) FROM logs"), "the 10th and the future row remain");
      String scrape = metrics.scrape();
      assertTrue(scrape.contains("logrouter_retention_partitions_dropped_total 1.0"), scrape);
      assertFalse(scrape.contains("logrouter_retention_last_success_seconds 0.0"), "last success recorded");
    }
  }

  /** The per-minute counts (V4) of the days dropped go with them; the others stay the rows' counts. */
  @Test
  void retentionDeletesTheCountsOfTheDaysItDrops() throws SQLException {
    try (TestDatabase db = TestDatabase.create("retention_counts")) {
      insert(db, "2024-09-01 08:00:00", "2024-10-02 23:59:59.999999", "2024-10-02 23:59:00", "2024-10-03 00:00:00",
          "2024-10-04 10:00:00", "2030-01-01 00:00:00");
      db.countStoredRows();
      String counts = "SELECT minute, SUM(events) FROM log_minute_counts GROUP BY minute ORDER BY minute";
      String perSource = "SELECT minute, SUM(events) FROM log_source_minute_counts GROUP BY minute ORDER BY minute";
      String rows = "SELECT DATE_FORMAT(ts, '%Y-%m-%d %H:%i:00'), COUNT(*) FROM logs GROUP BY 1 ORDER BY 1";
      assertEquals(5, db.queryRows(counts).size());
      new PartitionRetention(DdlConnections.runtime(db.dataSource()), 7, 3, at("2024-10-10T12:00:00Z"),
          new RouterMetrics()).runOnce();
      assertEquals(List.of("2024-10-03 00:00:00|1", "2024-10-04 10:00:00|1", "2030-01-01 00:00:00|1"), db.queryRows(rows));
      assertEquals(db.queryRows(rows), db.queryRows(counts));
      assertEquals(db.queryRows(rows), db.queryRows(perSource));
      new PartitionRetention(DdlConnections.runtime(db.dataSource()), 7, 3, at("2024-10-12T00:30:00Z"),
          new RouterMetrics()).runOnce();
      assertEquals(List.of("2030-01-01 00:00:00|1"), db.queryRows(counts));
      assertEquals(db.queryRows(counts), db.queryRows(perSource));
    }
  }

  @Test
  void aTableConvertedWithTheDbaGuideRecipeIsManagedToo() throws SQLException {
    try (TestDatabase db = TestDatabase.create("retention_dba")) {
      db.execute("ALTER TABLE logs PARTITION BY RANGE COLUMNS (ts) (PARTITION p20241001 VALUES LESS THAN ('2024-10-02'),"
          + " PARTITION p20241002 VALUES LESS THAN ('2024-10-03'), PARTITION pfuture VALUES LESS THAN (MAXVALUE))");
      PartitionRetention.Result r = new PartitionRetention(DdlConnections.runtime(db.dataSource()), 1, 1,
          at("2024-10-03T06:00:00Z"), new RouterMetrics()).runOnce();
      assertFalse(r.converted());
      assertEquals(List.of("p20241001"), r.droppedPartitions());
      assertEquals(List.of("p20241002", "p20241003", "p20241004", "pfuture"), partitions(db));
    }
  }

  @Test
  void theRouterWithRetentionDaysPartitionsLogsAtStartAndStillIngests() {
    try (TestDatabase db = TestDatabase.create("retention_router");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("retention.days", "30"))) {
      Await.until("logs is partitioned", Duration.ofSeconds(60),
          () -> router.get("/metrics").body().matches("(?s).*logrouter_retention_last_success_seconds [1-9].*"));
      assertTrue(db.queryLong("SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE()"
          + " AND TABLE_NAME = 'logs' AND PARTITION_NAME IS NOT NULL") >= 30 + 3 + 1);
      assertEquals(202, router.post("/log", "{\"message\":\"into today's partition\"}").status());
      assertEquals(1, router.flush());
    }
  }
}

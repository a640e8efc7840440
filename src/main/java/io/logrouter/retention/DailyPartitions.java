package io.logrouter.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of daily partitions on {@code logs}, the layout of docs/DBA.md: {@code PARTITION BY RANGE
 * COLUMNS (ts)}, one partition {@code pYYYYMMDD} per UTC day holding {@code ts < next day}, plus
 * {@code pfuture} ({@code MAXVALUE}) for senders whose clock runs ahead. RANGE COLUMNS on a
 * DATETIME works alike on MySQL 8 and MariaDB 10.11 and prunes on plain {@code ts} ranges.
 * Decisions use the partitions' bounds, not their names, so a table a DBA converted by hand with
 * other names is managed too.
 */
final class DailyPartitions {
  static final String FUTURE = "pfuture";
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'p'yyyyMMdd", Locale.ROOT);

  /** One partition: its name and exclusive upper bound (null for MAXVALUE). */
  record Partition(String name, LocalDate bound) {}

  /** What information_schema says about {@code logs}. */
  record Layout(boolean partitioned, boolean managed, String method, List<Partition> partitions) {
    boolean hasFuture() {
      return partitions.stream().anyMatch(p -> p.bound() == null);
    }

    /** The highest daily bound, or null. */
    LocalDate lastBound() {
      return partitions.stream().map(Partition::bound).filter(b -> b != null).max(LocalDate::compareTo).orElse(null);
    }
  }

  private DailyPartitions() {}

  static Layout read(Connection c) throws SQLException {
    String sql = "SELECT PARTITION_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, PARTITION_DESCRIPTION"
        + " FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'logs'"
        + " ORDER BY PARTITION_ORDINAL_POSITION";
    List<Partition> partitions = new ArrayList<>();
    String method = null;
    boolean managed = true;
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (rs.getString(1) == null) {
          return new Layout(false, false, null, List.of()); // one row, NULL name: not partitioned
        }
        method = rs.getString(2);
        String expression = rs.getString(3) == null ? "" : rs.getString(3).replace("`", "").trim();
        managed &= "RANGE COLUMNS".equalsIgnoreCase(method) && expression.equalsIgnoreCase("ts");
        partitions.add(new Partition(rs.getString(1), managed ? bound(rs.getString(4)) : null));
      }
    }
    if (partitions.isEmpty()) {
      throw new SQLException("table logs not found in the current schema (not migrated yet?)");
    }
    return new Layout(true, managed, method, partitions);
  }

  /** Converts the table: one partition per day of [first, last], then pfuture. Copies the table. */
  static void convert(Connection c, LocalDate first, LocalDate last) throws SQLException {
    execute(c, "ALTER TABLE logs PARTITION BY RANGE COLUMNS (ts) (" + days(first, last) + ", PARTITION " + FUTURE
        + " VALUES LESS THAN (MAXVALUE))");
  }

  /** Adds the days [first, last] below pfuture (or at the top when the table has no pfuture). */
  static void add(Connection c, Layout layout, LocalDate first, LocalDate last) throws SQLException {
    if (layout.hasFuture()) {
      // Splitting pfuture moves only its own rows (normally none): cheap.
      String future = layout.partitions().stream().filter(p -> p.bound() == null).findFirst().orElseThrow().name();
      execute(c, "ALTER TABLE logs REORGANIZE PARTITION " + future + " INTO (" + days(first, last) + ", PARTITION "
          + future + " VALUES LESS THAN (MAXVALUE))");
    } else {
      execute(c, "ALTER TABLE logs ADD PARTITION (" + days(first, last) + ")");
    }
  }

  /** Drops partitions by name: a metadata operation, instant whatever their size. */
  static void drop(Connection c, List<Partition> partitions) throws SQLException {
    StringBuilder names = new StringBuilder();
    for (Partition p : partitions) {
      names.append(names.length() == 0 ? "" : ", ").append(p.name());
    }
    execute(c, "ALTER TABLE logs DROP PARTITION " + names);
  }

  static String name(LocalDate day) {
    return NAME.format(day);
  }

  private static String days(LocalDate first, LocalDate last) {
    StringBuilder sb = new StringBuilder();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      sb.append(sb.length() == 0 ? "" : ", ").append("PARTITION ").append(name(day))
          .append(" VALUES LESS THAN ('").append(day.plusDays(1)).append("')");
    }
    return sb.toString();
  }

  /** {@code '2024-10-02'} or {@code '2024-10-02 00:00:00'} → the date; {@code MAXVALUE} → null. */
  private static LocalDate bound(String description) throws SQLException {
    String d = description == null ? "" : description.replace("'", "").trim();
    if (d.equalsIgnoreCase("MAXVALUE")) {
      return null;
    }
    if (d.length() < 10) {
      throw new SQLException("unexpected partition bound of logs: " + description);
    }
    if (d.length() > 10 && !d.substring(10).matches("[ T]00:00(:00(\\.0+)?)?")) {
      throw new SQLException("partition bound of logs is not a day boundary: " + description);
    }
    return LocalDate.parse(d.substring(0, 10));
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}

package io.logrouter.retention;

import io.logrouter.threads.RouterThreads;

import io.logrouter.metrics.RouterMetrics;
import io.logrouter.retention.DailyPartitions.Layout;
import io.logrouter.retention.DailyPartitions.Partition;
import io.logrouter.sink.DdlConnections;
import io.logrouter.sink.Migrations;
import io.micrometer.core.instrument.Counter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retention.days}: keeps {@code logs} partitioned by UTC day (see {@link DailyPartitions}),
 * creates the partitions of the next {@code retention.ahead.days} days and drops every day older
 * than the retention, with its per-minute counts. Runs on its own thread, at start and then daily
 * (every 5 minutes after a failure), never on the ingest or flush threads; DDL runs as
 * {@code db.migrate.user} when set.
 *
 * <p>Retention of N days keeps today and the N full days before it: with N = 7 on the 10th, the
 * partitions of the 3rd to the 10th stay and older ones go.
 *
 * <p>The first run on an unpartitioned table converts it, which copies the table (it is logged as a
 * warning): the flusher's INSERTs wait for it, ingest does not (it goes to the disk queue).
 * Several routers share one table: a named lock ({@code GET_LOCK}) lets one run at a time.
 */
public final class PartitionRetention implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionRetention.class);
  private static final long DAY_MILLIS = TimeUnit.DAYS.toMillis(1);
  /** After a failure (database down, lock timeout): soon enough to stay ahead of the calendar. */
  private static final long RETRY_MILLIS = TimeUnit.MINUTES.toMillis(5);
  /**
   * Seconds a DDL statement waits for the table's metadata lock. While it waits, MySQL queues new
   * INSERTs behind it, so the wait must be short: 10 s stalls a flush at most that long, and a
   * busy table is simply retried later.
   */
  private static final int LOCK_WAIT_SECONDS = 10;
  /** Rows of the counts tables deleted per statement. */
  private static final int COUNTS_DELETE_CHUNK = 10_000;

  private final DdlConnections ddl;
  private final int retentionDays;
  private final int aheadDays;
  private final Clock clock;
  private final Counter dropped;
  private final Counter failures;
  private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
  private ScheduledExecutorService scheduler;

  /** What one run did. */
  public record Result(boolean ran, boolean converted, int created, List<String> droppedPartitions) {}

  public PartitionRetention(DdlConnections ddl, int retentionDays, int aheadDays, Clock clock, RouterMetrics metrics) {
    this.ddl = ddl;
    this.retentionDays = retentionDays;
    this.aheadDays = aheadDays;
    this.clock = clock;
    this.dropped = Counter.builder("logrouter.retention.partitions.dropped")
        .description("Daily partitions of logs dropped by retention").register(metrics.registry());
    this.failures = Counter.builder("logrouter.retention.failures")
        .description("Retention runs that failed (retried in 5 minutes)").register(metrics.registry());
    metrics.gauge("logrouter.retention.last.success.seconds", "Epoch seconds of the last successful retention run",
        lastSuccessEpochSeconds, AtomicLong::get);
  }

  /** Runs now on the retention thread, then daily. */
  public synchronized void start() {
    scheduler = RouterThreads.scheduler("log-router-retention");
    scheduler.execute(RouterThreads.guarded("retention", this::tick));
  }

  private void tick() {
    long next = DAY_MILLIS;
    try {
      runOnce();
    } catch (SQLException | RuntimeException e) {
      failures.increment();
      next = RETRY_MILLIS;
      LOG.warn("retention: run failed, retrying in {} min: {}", TimeUnit.MILLISECONDS.toMinutes(next), e.toString());
    }
    synchronized (this) {
      if (scheduler != null && !scheduler.isShutdown()) {
        scheduler.schedule(this::tick, next, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** One pass: convert if needed, create the days ahead, drop the expired ones. */
  public Result runOnce() throws SQLException {
    Result result = ddl.with(ds -> {
      // Idempotent; lets the first run at start-up precede the flusher's own migration.
      Migrations.migrate(ds);
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(true);
        execute(c, "SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
        if (!lock(c)) {
          LOG.info("retention: another router holds the retention lock; skipping this run");
          return new Result(false, false, 0, List.of());
        }
        try {
          return apply(c);
        } finally {
          execute(c, "DO RELEASE_LOCK(CONCAT('log_router_retention.', DATABASE()))");
        }
      }
    });
    if (result.ran()) {
      dropped.increment(result.droppedPartitions().size());
      lastSuccessEpochSeconds.set(clock.instant().getEpochSecond());
      LOG.info("retention: kept {} days; {}created {} daily partitions, dropped {} {}", retentionDays,
          result.converted() ? "partitioned logs by day, " : "", result.created(), result.droppedPartitions().size(),
          result.droppedPartitions());
    }
    return result;
  }

  private Result apply(Connection c) throws SQLException {
    LocalDate today = LocalDate.now(clock);
    LocalDate cutoff = today.minusDays(retentionDays);
    LocalDate lastDay = today.plusDays(aheadDays);
    Layout layout = DailyPartitions.read(c);
    boolean converted = false;
    int created = 0;
    if (!layout.partitioned()) {
      LOG.warn("retention: partitioning table logs by day (a one-off copy of the table; flushes wait for it)");
      // The first partition, the day before the cutoff, also takes every older row: dropped below.
      DailyPartitions.convert(c, cutoff.minusDays(1), lastDay);
      converted = true;
      created = (int) (lastDay.toEpochDay() - cutoff.toEpochDay()) + 2;
      layout = DailyPartitions.read(c);
    } else if (!layout.managed()) {
      throw new SQLException("table logs is partitioned by " + layout.method()
          + " in a way retention does not manage; expected RANGE COLUMNS (ts) by day (docs/DBA.md)");
    } else if (layout.lastBound() == null || layout.lastBound().isBefore(lastDay.plusDays(1))) {
      // The first day not covered yet; a table holding only pfuture starts like a conversion.
      LocalDate first = layout.lastBound() == null ? cutoff.minusDays(1) : layout.lastBound();
      DailyPartitions.add(c, layout, first, lastDay);
      created = (int) (lastDay.toEpochDay() - first.toEpochDay()) + 1;
      layout = DailyPartitions.read(c);
    }
    // A partition whose bound is at or before the cutoff holds only rows older than the cutoff day.
    List<Partition> expired = layout.partitions().stream()
        .filter(p -> p.bound() != null && !p.bound().isAfter(cutoff)).toList();
    if (!expired.isEmpty()) {
      DailyPartitions.drop(c, expired);
      deleteCountsBefore(c, expired.stream().map(Partition::bound).max(LocalDate::compareTo).orElseThrow());
    }
    return new Result(true, converted, created, expired.stream().map(Partition::name).toList());
  }

  /**
   * Deletes the per-minute counts (V4) of the dropped days: every minute before the highest bound
   * dropped, the rows of all of which are gone with their partitions. After the drop, not before, so
   * counts never go missing for rows still there; should this fail, the next day's run covers these
   * minutes too. Bounded chunks: each is a short transaction (and one small Galera write-set).
   */
  private static void deleteCountsBefore(Connection c, LocalDate bound) throws SQLException {
    for (String table : List.of("log_minute_counts", "log_source_minute_counts")) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE minute < ? LIMIT "
          + COUNTS_DELETE_CHUNK)) {
        ps.setString(1, bound.toString());
        while (ps.executeUpdate() == COUNTS_DELETE_CHUNK) {
          // the next chunk
        }
      }
    }
  }

  /** One router at a time per schema; 0 s wait: whoever holds it does today's work. */
  private static boolean lock(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT GET_LOCK(CONCAT('log_router_retention.', DATABASE()), 0)")) {
      return rs.next() && rs.getInt(1) == 1;
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}

package io.logrouter.sink;

import io.logrouter.buffer.Batch;
import io.logrouter.buffer.DamagedDocument;
import io.logrouter.event.Timestamps;
import io.logrouter.profile.DbProfile;
import io.logrouter.profile.IdGeneration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Writes flushes to MySQL/MariaDB. One flush is ONE transaction: the events (LOAD DATA, or multi-row
 * INSERTs: Connector/J rewrites the JDBC batch), their per-minute counts ({@link MinuteCounts}) and the
 * instance's row in {@code router_offsets} set to the last queue index of the batch. All commit or
 * none does, which is what makes the pipeline exactly-once: on restart the flusher resumes right
 * after the committed index, and the counts are exactly the rows.
 *
 * <p>The {@link DbProfile} decides what differs per engine: whether LOAD DATA may be used (the caller
 * passes no load-data dir where it may not), how the commit point is read after a failover, which
 * errors are whose fault.
 *
 * <p>Thread ownership: the flusher thread only.
 */
public final class MySqlSink implements BatchSink {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MySqlSink.class);
  /** 1148 "command not allowed" (MariaDB, old MySQL), 3948 "loading local data is disabled" (MySQL 8). */
  private static final java.util.Set<Integer> LOCAL_INFILE_REFUSED = java.util.Set.of(1148, 3948, 2068);

  private static final long PURGE_PERIOD_MILLIS = 60_000;

  private final DataSource dataSource;
  private final String routerId;
  private final DeadLetters deadLetters;
  private final Clock clock;
  private final DdlConnections ddl;
  private final DbProfile profile;
  private final InsertWriter inserts;
  private final OffsetRows offsets;
  private final IngestKeys keys;
  private final short lane;
  private final RowIds ids;
  private final StuckWrites writes;
  private boolean schemaReady;
  private long lastPurgeMillis;
  /** null when flushing with INSERTs (configured, or LOAD DATA LOCAL refused by the server). */
  private LoadDataWriter loadData;

  private MySqlSink(Builder b) {
    this.dataSource = b.dataSource;
    this.routerId = b.routerId;
    this.profile = b.profile;
    this.ddl = b.ddl;
    this.clock = b.clock;
    this.deadLetters = new DeadLetters(routerId);
    this.writes = new StuckWrites(b.writeTimeout.toNanos());
    this.inserts = new InsertWriter(routerId, profile.statementBytes(b.statementBytes), profile, deadLetters, writes);
    this.loadData = b.loadDataDir == null || !profile.loadDataLocal() ? null : new LoadDataWriter(routerId, writes);
    this.lane = (short) b.lane;
    this.offsets = new OffsetRows(routerId, b.lane);
    this.keys = b.keys;
    this.ids = RowIds.of(b.ids, dataSource, routerId, b.lane);
  }

  /** A sink writing {@code routerId}'s flushes through {@code dataSource}; every other setting has a default. */
  public static Builder builder(DataSource dataSource, String routerId) {
    return new Builder(dataSource, routerId);
  }

  /** The sink's settings, each with the router's default. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String routerId;
    private DdlConnections ddl;
    private long statementBytes = 4L << 20;
    private Clock clock = Clock.systemUTC();
    private Path loadDataDir;
    private DbProfile profile = DbProfile.MYSQL;
    private IngestKeys keys;
    private IdGeneration ids = IdGeneration.AUTO_INCREMENT;
    private int lane;
    private Duration writeTimeout = Duration.ofMinutes(2);

    private Builder(DataSource dataSource, String routerId) {
      this.dataSource = dataSource;
      this.routerId = routerId;
      this.ddl = DdlConnections.runtime(dataSource);
      this.keys = new IngestKeys(routerId, null, Duration.ofHours(24));
    }

    /** Where migrations run: the runtime pool (the default) or the separate {@code db.migrate.user}. */
    public Builder ddl(DdlConnections ddl) {
      this.ddl = ddl;
      return this;
    }

    /** {@code flush.statement.bytes}: the size of one multi-row INSERT (capped by the profile). */
    public Builder statementBytes(long statementBytes) {
      this.statementBytes = statementBytes;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Flush with LOAD DATA LOCAL, sandboxed to {@code dir} (see {@link DataSources}; nothing is written there),
     * where the profile allows it. Without it (the default), multi-row INSERTs only.
     */
    public Builder loadData(Path dir) {
      this.loadDataDir = dir;
      return this;
    }

    /** {@code db.profile}: what the engine allows, and how the commit point is read after a failover. */
    public Builder profile(DbProfile profile) {
      this.profile = profile;
      return this;
    }

    /** How retried requests and events are recognised ({@code dedup.field}, {@code dedup.window}). */
    public Builder deduplicateWith(IngestKeys keys) {
      this.keys = keys;
      return this;
    }

    /** Where {@code logs.id} comes from ({@code db.ids}; the profile's choice): the server, or the lane ({@link RowIds}). */
    public Builder ids(IdGeneration ids) {
      this.ids = ids;
      return this;
    }

    /**
     * The flush lane this sink writes for ({@code flush.lanes}; 0 by default): its offsets row, and its rows of
     * the counts tables, are keyed by router id and lane, so lanes never touch each other's rows.
     */
    public Builder lane(int lane) {
      if (lane < 0 || lane > Short.MAX_VALUE) {
        throw new IllegalArgumentException("lane " + lane + " outside 0.." + Short.MAX_VALUE);
      }
      this.lane = lane;
      return this;
    }

    /** {@code flush.write.timeout}: how long a statement may go without the server taking its bytes ({@link StuckWrites}). */
    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
      return this;
    }

    public MySqlSink build() {
      return new MySqlSink(this);
    }
  }

  @Override
  public void ensureSchema() {
    if (!schemaReady) {
      try {
        ddl.with(Migrations::migrate);
      } catch (SQLException e) {
        // Only the one-connection pool of db.migrate.user declares it; Flyway's own failures are unchecked.
        throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
      }
      ids.checkNoOtherKind(dataSource);
      schemaReady = true;
    }
  }

  /**
   * The commit point. On a cluster the connection may be on another node than the one that took the last
   * commit (failover); the profile's causal-read statement makes this read wait until that node has applied
   * everything the cluster committed before it, so a commit whose answer was lost is never missed.
   */
  @Override
  public long committedIndex() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      causalRead(c);
      return offsets.read(c, false);
    }
  }

  /** The router's offsets rows, all lanes: what {@code flush.lanes} changes are checked against. */
  public LaneOffsets laneOffsets() {
    return new LaneOffsets() {
      @Override
      public java.util.SortedMap<Integer, Long> read() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
          causalRead(c);
          return OffsetRows.lanes(c, routerId);
        }
      }

      @Override
      public void relayout(int lanes, long index) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
          c.setAutoCommit(false);
          try {
            OffsetRows.relayout(c, routerId, lanes, index, now());
            c.commit();
          } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
          }
        }
      }
    };
  }

  /**
   * Commits the batch's events, one {@code logs_rejected} row per damaged queue document, and the
   * offset in one transaction. Rows MySQL refuses for their data are found by bisection (each attempt
   * behind a savepoint) and written to {@code logs_rejected} in the same transaction.
   *
   * @throws SQLException on any other failure; nothing is committed then, unless the failure hit
   *     the COMMIT itself, whose outcome the caller resolves with {@link #committedIndex()}
   */
  @Override
  public FlushResult write(Batch batch) throws SQLException {
    try {
      return writeOnce(batch);
    } catch (SQLException e) {
      if (SqlErrors.isTransactionTooLarge(e, profile)) {
        throw new SQLException("the database refused the flush transaction as too large (" + e.getMessage()
            + "); lower flush.max.bytes (db.profile=" + profile + " caps it at " + profile.flushBytes(Long.MAX_VALUE)
            + " bytes) or raise the engine's limit", e.getSQLState(), e.getErrorCode(), e);
      }
      throw e;
    }
  }

  private FlushResult writeOnce(Batch batch) throws SQLException {
    FlushResult result;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        OffsetRows.Row committed = lockedOffset(c);
        if (committedEarlier(committed, batch)) {
          c.rollback();
          return new FlushResult(batch.eventCount(), 0);
        }
        String now = now();
        Admission admitted = keys.admit(c, batch, now);
        int rows = admitted.count();
        long firstId = ids.first(committed.nextId(), rows);
        Stored stored = store(c, batch, admitted, rows, firstId);
        stored.counts.write(c, routerId, lane);
        for (DamagedDocument damaged : batch.damaged()) {
          deadLetters.writeDamaged(c, damaged, now);
        }
        offsets.write(c, batch.lastIndex(), ids.nextAfter(firstId, rows), now);
        c.commit();
        result = new FlushResult(rows - stored.rejected, stored.rejected, batch.eventCount() - rows);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
      purgeOldKeys(c);
    }
    return result;
  }

  /** What one flush stored: the counts of the rows in {@code logs}, and how many went to {@code logs_rejected}. */
  private static final class Stored {
    final MinuteCounts counts = new MinuteCounts();
    int rejected;
  }

  /**
   * Stores the admitted rows with LOAD DATA or, when that path is off or does not take every row
   * cleanly, with INSERTs. The k-th admitted row gets the id of sequence {@code firstId + k} on either path
   * (writer-made ids). @return what was stored, counted from the rows that really were
   */
  private Stored store(Connection c, Batch batch, Admission admitted, int rows, long firstId) throws SQLException {
    Stored loaded = new Stored();
    if (rows == 0 || loadedWhole(c, batch, admitted, rows, firstId, loaded.counts)) {
      return loaded;
    }
    Stored inserted = new Stored();
    inserted.rejected = inserts.insert(c, admitted.events(), ids, firstId, inserted.counts, now());
    return inserted;
  }

  @Override
  public boolean abortStuckWrite() {
    return writes.abortIfStuck(System.nanoTime());
  }

  /** At most once a minute, outside the flush's transaction: a failure here costs nothing but a retry. */
  private void purgeOldKeys(Connection c) {
    long nowMillis = clock.millis();
    if (nowMillis - lastPurgeMillis < PURGE_PERIOD_MILLIS) {
      return;
    }
    lastPurgeMillis = nowMillis;
    java.time.Instant cutoff = clock.instant().minus(keys.window());
    try {
      c.setAutoCommit(true);
      keys.purge(c, Timestamps.toSqlText(cutoff.getEpochSecond() * 1_000_000L + cutoff.getNano() / 1_000));
    } catch (SQLException e) {
      LOG.warn("could not delete de-duplication keys older than dedup.window: {}", e.getMessage());
    }
  }

  /**
   * Tries the LOAD DATA path. @return true when it loaded every row cleanly; false when the caller
   * must insert the batch instead (the load, if any, rolled back to a savepoint)
   */
  private boolean loadedWhole(Connection c, Batch batch, Admission admitted, int rows, long firstId,
      MinuteCounts counts) throws SQLException {
    if (loadData == null) {
      return false;
    }
    Savepoint savepoint = c.setSavepoint();
    try {
      LoadDataWriter.Outcome outcome = loadData.load(c, batch, admitted, ids, firstId, counts);
      if (outcome.rows() == rows && !outcome.warned()) {
        c.releaseSavepoint(savepoint);
        return true;
      }
      c.rollback(savepoint);
      return false;
    } catch (SQLException e) {
      if (LOCAL_INFILE_REFUSED.contains(e.getErrorCode()) || e.getMessage().contains("local infile")) {
        LOG.warn("LOAD DATA LOCAL is refused ({}); flushing with multi-row INSERTs from now on "
            + "(enable local_infile on the server for the faster path)", e.getMessage());
        loadData = null;
      } else if (!SqlErrors.isPermanentDataError(e, profile)) {
        throw e;
      }
      c.rollback(savepoint);
      return false;
    }
  }

  /**
   * This lane's offsets row, read and locked first in the flush's transaction (the guard below). On a
   * cluster, lock only after this node applied every earlier commit: the last flush may have gone to
   * another node, and a lock taken on the stale row is broken by that commit's replication (a Galera
   * "deadlock" on nearly every flush when the pool's connections sit on different nodes).
   */
  private OffsetRows.Row lockedOffset(Connection c) throws SQLException {
    causalRead(c);
    return offsets.readRow(c, true);
  }

  /**
   * The guard that makes a retry safe: a commit whose answer was lost (connection cut after COMMIT) may
   * have landed, and if the database was away when the caller asked, the caller retries blind. The
   * offset row is read and locked first in the batch's own transaction, so a batch already committed
   * is never written twice, whatever the caller knew, and a second writer with this router id waits.
   *
   * @return true when the offset already covers the whole batch
   * @throws IllegalStateException when the offset points inside the batch: the queue and the database
   *     disagree on batch boundaries, and the flusher must resume from the committed offset
   */
  private static boolean committedEarlier(OffsetRows.Row row, Batch batch) {
    long committed = row.lastIndex();
    if (committed >= batch.lastIndex()) {
      LOG.warn("the batch up to queue index {} was committed by an earlier attempt whose answer was lost;"
          + " not written again", Long.toHexString(batch.lastIndex()));
      return true;
    }
    if (committed >= batch.firstIndex()) {
      throw new IllegalStateException("the committed offset " + Long.toHexString(committed) + " lies inside the"
          + " batch " + Long.toHexString(batch.firstIndex()) + ".." + Long.toHexString(batch.lastIndex()));
    }
    return false;
  }

  /** The profile's causal-read statement, if any: later reads on {@code c} see every earlier cluster commit. */
  private void causalRead(Connection c) throws SQLException {
    if (!profile.causalReadStatement().isEmpty()) {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute(profile.causalReadStatement());
      }
    }
  }

  private String now() {
    java.time.Instant now = clock.instant();
    return Timestamps.toSqlText(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }
}

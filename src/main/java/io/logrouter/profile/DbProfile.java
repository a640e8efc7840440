package io.logrouter.profile;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The capability profile of one target engine, chosen by {@code db.profile}. Each limit is the engine's
 * documented default (sources in docs/SCALING.md); the router stays well below it, because a flush's
 * queue bytes turn into more bytes on the wire and in the engine (escaping, index keys, write-set or
 * key-value overhead).
 *
 * <p>Immutable; the six profiles are constants.
 */
public final class DbProfile {
  /** Flush bytes are capped at this fraction of the engine's transaction limit (see class comment). */
  private static final int TRANSACTION_HEADROOM = 4;
  /** Statements are capped at this fraction of the engine's largest message/packet. */
  private static final int STATEMENT_HEADROOM = 4;
  /**
   * Slowest flush rate worth planning for (bytes of queue per second of transaction): a cluster under
   * load, far below the 10-20 MB/s measured here (BENCHMARKS.md). With a time limit, a flush is capped at
   * what this rate moves in a quarter of that limit.
   */
  private static final long PLANNING_BYTES_PER_SECOND = 2L << 20;
  private static final long MB = 1L << 20;

  /** MySQL 8.x: max_allowed_packet 64 MB, no transaction size limit of its own. */
  public static final DbProfile MYSQL = builder("mysql").loadDataLocal(true).maxStatementBytes(64 * MB)
      .ids(IdGeneration.AUTO_INCREMENT).build();
  /** MariaDB 10.11+: max_allowed_packet 16 MB. */
  public static final DbProfile MARIADB = builder("mariadb").loadDataLocal(true).maxStatementBytes(16 * MB)
      .ids(IdGeneration.AUTO_INCREMENT).build();
  /**
   * MariaDB Galera Cluster: write-set limit wsrep_max_ws_size (2 GB default, the hard maximum; DBAs often
   * set far less, and large write-sets stall the whole cluster through flow control, so the profile assumes
   * 128 MB). A read of the commit point waits for the node to apply everything the cluster committed
   * before it (wsrep_sync_wait = 1): after a failover the new node may not have applied our last commit yet.
   * 1213 is a certification conflict, 1047 "WSREP has not yet prepared node for application use".
   */
  public static final DbProfile GALERA = builder("galera").loadDataLocal(true).maxStatementBytes(16 * MB)
      .maxTransactionBytes(128 * MB).retryableErrors(Set.of(1213, 1047, 1205))
      .tooLarge(Set.of(), List.of("Maximum writeset size exceeded", "wsrep_max_ws_rows exceeded", "transaction size limit"))
      .causalReadStatement("SET SESSION wsrep_sync_wait = 1").ids(IdGeneration.AUTO_INCREMENT_PER_NODE)
      .nodeReady(new NodeReadiness("wsrep_ready", "SHOW GLOBAL STATUS LIKE 'wsrep_ready'", 2, "ON")).build();
  /**
   * MySQL Group Replication / InnoDB Cluster: group_replication_transaction_size_limit 150000000 bytes
   * (about 143 MB). 'BEFORE' consistency makes the commit-point read wait for the group's earlier commits.
   * 3100/3101: the group refused or rolled back the commit (conflict, or the member left); 1290: the
   * server is a read-only secondary (the primary moved) until the pool reconnects to the new primary.
   */
  public static final DbProfile GROUP_REPLICATION = builder("group-replication").loadDataLocal(true)
      .maxStatementBytes(64 * MB).maxTransactionBytes(150_000_000L).retryableErrors(Set.of(1213, 1205, 3100, 3101, 1290))
      .tooLarge(Set.of(), List.of("group_replication_transaction_size_limit"))
      .causalReadStatement("SET SESSION group_replication_consistency = 'BEFORE'")
      .ids(IdGeneration.AUTO_INCREMENT_PER_NODE)
      .nodeReady(new NodeReadiness("group member state", "SELECT MEMBER_STATE FROM performance_schema.replication_group_members"
          + " WHERE MEMBER_ID = @@server_uuid", 1, "ONLINE")).build();
  /**
   * TiDB: txn-total-size-limit 100 MB default, txn-entry-size-limit 6 MiB per row. LOAD DATA is not used:
   * before 7.6 it commits on its own every 20,000 rows, outside the flush transaction (which would break
   * exactly-once). 8004 transaction too large, 8025 entry too large; 9007 write conflict, 8002 and 9001-9006
   * TiKV/PD busy or unavailable are retried.
   */
  public static final DbProfile TIDB = builder("tidb").loadDataLocal(false).maxStatementBytes(64 * MB)
      .maxTransactionBytes(100 * MB).retryableErrors(Set.of(1213, 1205, 8002, 8022, 8027, 8028, 9001, 9002, 9003,
          9004, 9005, 9006, 9007))
      .tooLarge(Set.of(8004, 8025), List.of("Transaction is too large", "entry too large"))
      .ids(IdGeneration.WRITER_SCATTERED).build();
  /**
   * Vitess / PlanetScale through vtgate: no LOAD DATA on sharded keyspaces; messages up to 64 MiB;
   * transactions killed after 20 s on PlanetScale (Vitess' own default is 30 s).
   */
  public static final DbProfile VITESS = builder("vitess").loadDataLocal(false).maxStatementBytes(64 * MB)
      .maxTransactionTime(Duration.ofSeconds(20)).retryableErrors(Set.of(1213, 1205, 1317))
      .tooLarge(Set.of(), List.of("larger than max", "exceeds the maximum", "resource exhausted"))
      .ids(IdGeneration.WRITER).build();

  private static final List<DbProfile> ALL = List.of(MYSQL, MARIADB, GALERA, GROUP_REPLICATION, TIDB, VITESS);

  private final String name;
  private final boolean loadDataLocal;
  private final long maxStatementBytes;
  private final long maxTransactionBytes;
  private final Duration maxTransactionTime;
  private final Set<Integer> retryableErrors;
  private final Set<Integer> tooLargeErrors;
  private final List<String> tooLargeMessages;
  private final String causalReadStatement;
  private final NodeReadiness nodeReady;
  private final IdGeneration ids;

  private DbProfile(Builder b) {
    this.name = b.name;
    this.loadDataLocal = b.loadDataLocal;
    this.maxStatementBytes = b.maxStatementBytes;
    this.maxTransactionBytes = b.maxTransactionBytes;
    this.maxTransactionTime = b.maxTransactionTime;
    this.retryableErrors = b.retryableErrors;
    this.tooLargeErrors = b.tooLargeErrors;
    this.tooLargeMessages = b.tooLargeMessages;
    this.causalReadStatement = b.causalReadStatement;
    this.nodeReady = b.nodeReady;
    this.ids = b.ids;
  }

  /** The profile called {@code name} (case-insensitive). @throws IllegalArgumentException naming the choices */
  public static DbProfile named(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (DbProfile p : ALL) {
      if (p.name.equals(wanted)) {
        return p;
      }
    }
    throw new IllegalArgumentException("must be one of " + names());
  }

  public static List<String> names() {
    return ALL.stream().map(p -> p.name).toList();
  }

  public String name() {
    return name;
  }

  /** Whether flushes may use LOAD DATA LOCAL inside the flush transaction; false means multi-row INSERTs. */
  public boolean loadDataLocal() {
    return loadDataLocal;
  }

  /** The engine's largest statement/message in bytes (its default). */
  public long maxStatementBytes() {
    return maxStatementBytes;
  }

  /** The engine's largest transaction in bytes, or 0 when it has no limit of its own. */
  public long maxTransactionBytes() {
    return maxTransactionBytes;
  }

  /** The engine's longest transaction, or {@link Duration#ZERO} when it has none. */
  public Duration maxTransactionTime() {
    return maxTransactionTime;
  }

  public IdGeneration ids() {
    return ids;
  }

  /** How to ask the node the router is connected to whether it takes writes; {@link NodeReadiness#ANY} if connecting says it all. */
  public NodeReadiness nodeReady() {
    return nodeReady;
  }

  /** Run before reading the commit point, so that a read after failover sees every earlier commit; "" if none is needed. */
  public String causalReadStatement() {
    return causalReadStatement;
  }

  /** Error codes this engine uses for conditions that pass: conflicts, a node not ready, a primary that moved. */
  public boolean isRetryable(int errorCode) {
    return retryableErrors.contains(errorCode);
  }

  /** Whether the error says the transaction exceeded the engine's size (or row) limit: retrying the same flush fails again. */
  public boolean isTooLarge(int errorCode, String message) {
    if (tooLargeErrors.contains(errorCode)) {
      return true;
    }
    if (message != null) {
      for (String fragment : tooLargeMessages) {
        if (message.contains(fragment)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code flush.max.bytes} capped so that one flush stays well inside the engine's transaction limits. */
  public long flushBytes(long configured) {
    long cap = Long.MAX_VALUE;
    if (maxTransactionBytes > 0) {
      cap = maxTransactionBytes / TRANSACTION_HEADROOM;
    }
    if (!maxTransactionTime.isZero()) {
      cap = Math.min(cap, PLANNING_BYTES_PER_SECOND * maxTransactionTime.toSeconds() / TRANSACTION_HEADROOM);
    }
    return Math.min(configured, cap);
  }

  /** {@code flush.statement.bytes} capped below the engine's largest statement. */
  public long statementBytes(long configured) {
    return Math.min(configured, maxStatementBytes / STATEMENT_HEADROOM);
  }

  @Override
  public String toString() {
    return name;
  }

  private static Builder builder(String name) {
    return new Builder(name);
  }

  private static final class Builder {
    private final String name;
    private boolean loadDataLocal;
    private long maxStatementBytes;
    private long maxTransactionBytes;
    private Duration maxTransactionTime = Duration.ZERO;
    private Set<Integer> retryableErrors = Set.of(1213, 1205);
    private Set<Integer> tooLargeErrors = Set.of();
    private List<String> tooLargeMessages = List.of();
    private String causalReadStatement = "";
    private IdGeneration ids;
    private NodeReadiness nodeReady = NodeReadiness.ANY;

    private Builder(String name) {
      this.name = name;
    }

    Builder loadDataLocal(boolean v) { loadDataLocal = v; return this; }
    Builder maxStatementBytes(long v) { maxStatementBytes = v; return this; }
    Builder maxTransactionBytes(long v) { maxTransactionBytes = v; return this; }
    Builder maxTransactionTime(Duration v) { maxTransactionTime = v; return this; }
    Builder retryableErrors(Set<Integer> v) { retryableErrors = v; return this; }
    Builder causalReadStatement(String v) { causalReadStatement = v; return this; }
    Builder ids(IdGeneration v) { ids = v; return this; }
    Builder nodeReady(NodeReadiness v) { nodeReady = v; return this; }

    Builder tooLarge(Set<Integer> codes, List<String> messages) {
      tooLargeErrors = codes;
      tooLargeMessages = messages;
      return this;
    }

    DbProfile build() {
      return new DbProfile(this);
    }
  }
}

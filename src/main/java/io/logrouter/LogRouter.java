package io.logrouter;

import com.zaxxer.hikari.HikariDataSource;
import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.BatchSource;
import io.logrouter.buffer.LiveTail;
import io.logrouter.buffer.EventQueue;
import io.logrouter.buffer.GroupSync;
import io.logrouter.buffer.PrefetchingSource;
import io.logrouter.buffer.Quarantine;
import io.logrouter.buffer.ResidentPages;
import io.logrouter.config.ConfigKeys;
import io.logrouter.config.Durability;
import io.logrouter.config.RouterConfig;
import io.logrouter.flush.CircuitBreaker;
import io.logrouter.flush.FlushPolicy;
import io.logrouter.flush.FlushLanes;
import io.logrouter.flush.Flusher;
import io.logrouter.flush.LaneLayout;
import io.logrouter.http.HttpServer;
import io.logrouter.http.HttpSettings;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.query.QueryRoutes;
import io.logrouter.query.TailRoutes;
import io.logrouter.retention.PartitionRetention;
import io.logrouter.sink.DdlConnections;
import io.logrouter.sink.IngestKeys;
import io.logrouter.sink.DataSources;
import io.logrouter.sink.MySqlSink;
import io.logrouter.sink.ShadowTables;
import io.logrouter.syslog.SyslogServer;
import io.logrouter.ui.UiRoutes;
import io.logrouter.warmup.FlushRehearsal;
import io.logrouter.warmup.StartupWarmup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One router instance, wired from its config: pool, queue, backlog gate, flusher, HTTP. Start
 * order makes the queue and flusher ready before the first request, and runs the start-up warm-up
 * ({@code io.logrouter.warmup}) between the flusher's start and the port's; stop order drains HTTP
 * first, then flushes, then closes the queue.
 */
public final class LogRouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogRouter.class);

  private final RouterConfig config;
  private final HikariDataSource dataSource;
  private final EventQueue queue;
  private final ResidentPages queuePages;
  private final ResidentPages.Trimming queuePageTrimming;
  private final BacklogGate gate;
  private final GroupSync groupSync;
  private final DdlConnections ddl;
  /** Null when flushing with INSERTs (flush.method). */
  private final Path loadDataDir;
  private final FlushLanes flusher;
  private final HttpServer http;
  private final SyslogServer syslog;
  private final LiveTail liveTail;
  private final RouterMetrics metrics;
  /** Null when retention.days = 0. */
  private final PartitionRetention retention;
  private boolean stopped;

  private LogRouter(RouterConfig config) {
    this.config = config;
    ChronicleSettings.apply();
    metrics = new RouterMetrics();
    String routerId = config.get(ConfigKeys.ROUTER_ID);
    Path queueDir = Path.of(config.get(ConfigKeys.QUEUE_DIR));
    createDirectories(queueDir);
    loadDataDir = "load_data".equals(config.get(ConfigKeys.FLUSH_METHOD)) ? queueDir.resolve("load-data") : null;
    if (loadDataDir != null) {
      createDirectories(loadDataDir);
    }
    int lanes = config.get(ConfigKeys.FLUSH_LANES);
    // Each lane holds a connection while it flushes; queries and health checks need theirs too.
    int poolSize = Math.max(config.get(ConfigKeys.DB_POOL_SIZE), lanes + 2);
    dataSource = DataSources.create(config.get(ConfigKeys.DB_URL), config.get(ConfigKeys.DB_USER),
        config.get(ConfigKeys.DB_PASSWORD), poolSize, "log-router", loadDataDir);
    dataSource.setMetricRegistry(metrics.registry());
    queue = EventQueue.open(queueDir, config.get(ConfigKeys.QUEUE_ROLL_CYCLE));
    queuePages = ResidentPages.of(queueDir);
    queuePageTrimming = queuePages.trimEvery(config.get(ConfigKeys.QUEUE_RESIDENT_TRIM_INTERVAL),
        config.get(ConfigKeys.QUEUE_RESIDENT_TRIM_BYTES), queue::touchedBytes);
    gate = BacklogGate.forQueueDir(queueDir, config.get(ConfigKeys.QUEUE_MAX_BYTES),
        config.get(ConfigKeys.DISK_MIN_FREE_BYTES));
    groupSync = config.get(ConfigKeys.QUEUE_DURABILITY) == Durability.FSYNC
        ? new GroupSync(queueDir.toFile(), config.get(ConfigKeys.QUEUE_FSYNC_WINDOW).toNanos()) : null;
    ddl = DdlConnections.of(dataSource, config.get(ConfigKeys.DB_URL),
        config.get(ConfigKeys.DB_MIGRATE_USER), config.get(ConfigKeys.DB_MIGRATE_PASSWORD));
    retention = config.get(ConfigKeys.RETENTION_DAYS) == 0 ? null : new PartitionRetention(ddl,
        config.get(ConfigKeys.RETENTION_DAYS), config.get(ConfigKeys.RETENTION_AHEAD_DAYS), Clock.systemUTC(), metrics);
    flusher = flushLanes(config, lanes, queueDir);
    liveTail = LiveTail.start(queue, config.get(ConfigKeys.TAIL_MAX_STREAMS));
    syslog = SyslogServer.from(config, queue, gate, metrics);
    registerGauges();
    metrics.gauge("logrouter.tail.streams", "Live tail streams open (GET /logs/tail)", liveTail, LiveTail::openStreams);
    http = new HttpServer(HttpSettings.from(config), httpParts(queue, gate, groupSync, metrics),
        routes -> {
          QueryRoutes.addTo(routes, dataSource);
          TailRoutes.addTo(routes, liveTail, config.get(ConfigKeys.TAIL_MAX_EVENTS_PER_SECOND),
              config.get(ConfigKeys.TAIL_HEARTBEAT));
          UiRoutes.addTo(routes);
        });
  }

  /** What the HTTP routes work with; the start-up warm-up's scratch server gets its own queue, gate and meters. */
  private HttpServer.Parts httpParts(EventQueue queue, BacklogGate gate, GroupSync groupSync, RouterMetrics metrics) {
    return new HttpServer.Parts(queue, gate, groupSync, flusher, dataSource, config.get(ConfigKeys.DB_PROFILE).nodeReady(),
        metrics, config.get(ConfigKeys.HTTP_MAX_BODY_BYTES), config.get(ConfigKeys.EVENT_MAX_MESSAGE_BYTES),
        config.get(ConfigKeys.HTTP_BENCH_NOOP), this::otherPartDown);
  }

  /**
   * The warm-up's scratch server (see io.logrouter.warmup): the router's own routes and settings on loopback, over
   * a queue, gate and group sync of its own in {@code dir}; nothing it takes reaches this router's queue or meters.
   */
  private StartupWarmup.ScratchServer warmupServer(Path dir) {
    createDirectories(dir);
    EventQueue scratchQueue = EventQueue.openRollingEvery(dir, config.get(ConfigKeys.QUEUE_ROLL_CYCLE),
        StartupWarmup.SCRATCH_ROLL_EVERY);
    BacklogGate scratchGate = BacklogGate.forQueueDir(dir, config.get(ConfigKeys.QUEUE_MAX_BYTES),
        config.get(ConfigKeys.DISK_MIN_FREE_BYTES));
    GroupSync scratchSync = groupSync == null ? null
        : new GroupSync(dir.toFile(), config.get(ConfigKeys.QUEUE_FSYNC_WINDOW).toNanos());
    HttpServer server = HttpServer.forWarmup(HttpSettings.from(config),
        httpParts(scratchQueue, scratchGate, scratchSync, RouterMetrics.unexported()), http);
    java.util.List<AutoCloseable> parts = new java.util.ArrayList<>();
    if (scratchSync != null) {
      parts.add(scratchSync);
    }
    parts.add(scratchGate);
    parts.add(scratchQueue);
    return new StartupWarmup.ScratchServer(server, () -> flushRehearsal(scratchQueue), parts);
  }

  /**
   * The warm-up's flushes from {@code scratchQueue}: lane 0's sink, made as the flusher's are, over a connection
   * of its own on which every table it writes is a temporary one ({@link ShadowTables}).
   */
  private FlushRehearsal flushRehearsal(EventQueue scratchQueue) {
    ShadowTables shadow;
    try {
      shadow = ShadowTables.open(DataSources.create(config.get(ConfigKeys.DB_URL), config.get(ConfigKeys.DB_USER),
          config.get(ConfigKeys.DB_PASSWORD), 1, "log-router-warmup", loadDataDir));
    } catch (java.sql.SQLException | RuntimeException e) {
      return FlushRehearsal.none("no temporary tables: " + e.getMessage());
    }
    try {
      FlushPolicy policy = flushPolicy();
      BatchSource reader = new PrefetchingSource(scratchQueue.createLaneReaders(1, Quarantine.DISCARD, System::nanoTime)
          .get(0), policy.maxBytes(), "warmup-prefetch", policy::trickle);
      return FlushRehearsal.of(reader, sink(shadow.dataSource(), 0), policy.maxBytes(), java.util.List.of(shadow));
    } catch (RuntimeException e) {
      shadow.close();
      throw e;
    }
  }

  /** Why the syslog receivers or the live tail stopped (their thread died), or null. */
  private String otherPartDown() {
    String syslogDown = syslog.notRunningReason();
    return syslogDown != null ? syslogDown : liveTail.notRunningReason();
  }

  public static LogRouter start(RouterConfig config) {
    LogRouter router = new LogRouter(config);
    // The flusher first: its start (migrations, the driver's first statements) is compiled during the warm-up too.
    router.flusher.start();
    StartupWarmup.run(config.get(ConfigKeys.JVM_WARMUP_REQUESTS), Path.of(config.get(ConfigKeys.QUEUE_DIR), "warmup"),
        router::warmupServer);
    router.http.start();
    router.syslog.start();
    if (router.retention != null) {
      router.retention.start();
    }
    LOG.info("log-router {} listening on {}:{}{}; queue {} ({}); database {} as {}; flush every {} or {}",
        config.get(ConfigKeys.ROUTER_ID), config.get(ConfigKeys.HTTP_HOST), router.port(),
        (router.tlsPort() > 0 ? " and HTTPS (HTTP/2) on port " + router.tlsPort() : "") + router.syslog.describe(),
        config.get(ConfigKeys.QUEUE_DIR),
        config.text(ConfigKeys.QUEUE_DURABILITY), config.get(ConfigKeys.DB_URL).replaceFirst("\\?.*", ""),
        config.get(ConfigKeys.DB_USER),
        config.text(ConfigKeys.FLUSH_INTERVAL), config.text(ConfigKeys.FLUSH_MAX_BYTES));
    String heapWarning = io.logrouter.config.HeapAdvice.warning(config, Runtime.getRuntime().maxMemory());
    if (heapWarning != null) {
      LOG.warn(heapWarning);
    }
    LOG.debug("config: {}", config.summary());
    return router;
  }

  public int port() {
    return http.port();
  }

  /** The HTTPS port, or -1 without a keystore. */
  public int tlsPort() {
    return http.tlsPort();
  }

  /** The syslog receivers (ports 0 when off). */
  public SyslogServer syslog() {
    return syslog;
  }

  public FlushLanes flusher() {
    return flusher;
  }

  public BacklogGate gate() {
    return gate;
  }

  /** Graceful stop: no new requests, in-flight ones finish, final flush, everything closed. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    LOG.info("stopping: draining HTTP, then a final flush");
    liveTail.close(); // live streams never end by themselves: the HTTP drain would wait for them
    http.stop(config.get(ConfigKeys.HTTP_DRAIN_TIMEOUT));
    syslog.close(); // stops reading senders; what was read is appended before the final flush
    if (retention != null) {
      retention.close();
    }
    if (groupSync != null) {
      groupSync.close();
    }
    try {
      flusher.stop(config.get(ConfigKeys.FLUSH_SHUTDOWN_TIMEOUT).toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    gate.close();
    if (flusher.isRunning()) {
      // A final flush of a large backlog can outlast the timeout; closing the queue and pool under
      // it would fail that flush midway. Leave both to the exiting process; nothing is lost either way.
      LOG.warn("stopped; the final flush was still running at the shutdown timeout: what it had not committed"
          + " stays queued for the next start");
      return;
    }
    queuePageTrimming.close();
    queue.close();
    dataSource.close();
    LOG.info("stopped; {} events remain queued for the next start", Math.max(0, gate.backlogEvents()));
  }

  private void registerGauges() {
    metrics.gauge("logrouter.queue.resident.bytes", "Bytes of the queue's mapped files resident in the router's "
        + "memory (RSS), from /proc/self/smaps (at most 1 s old); kept low by queue.resident.trim.interval and .bytes", queuePages,
        ResidentPages::recentResidentBytes);
    metrics.gauge("logrouter.backlog.bytes", "Bytes appended to the queue and not yet committed to MySQL",
        gate, BacklogGate::backlogBytes);
    metrics.gauge("logrouter.backlog.events", "Events appended to the queue and not yet committed to MySQL",
        gate, BacklogGate::backlogEvents);
    metrics.gauge("logrouter.backlog.oldest.age.seconds", "Age of the oldest event read but not yet committed",
        flusher, f -> f.oldestPendingMicros() == 0 ? 0
            : Math.max(0, System.currentTimeMillis() / 1e3 - f.oldestPendingMicros() / 1e6));
    metrics.gauge("logrouter.backlog.documents", "Queue documents (requests) written and not yet committed, "
        + "from the queue's own index", flusher, FlushLanes::backlogDocuments);
    metrics.gauge("logrouter.background.down", "1 while the syslog listener or the live tail thread has died (the "
        + "reason is in /ready and the log)", this, r -> r.otherPartDown() == null ? 0 : 1);
    metrics.gauge("logrouter.flush.stalled", "1 while a flush lane is stalled, dead or refused to start (the "
        + "reason is in /ready and the log)", flusher, f -> f.stallReason() == null ? 0 : 1);
    metrics.gauge("logrouter.db.circuit.state", "Circuit breaker towards MySQL: 0 closed, 1 open, 2 half-open",
        flusher, f -> f.dbState().ordinal());
    metrics.gauge("logrouter.ingest.refusing", "1 while ingest answers 503 (backlog limit or disk floor)",
        gate, g -> g.refusal() == null ? 0 : 1);
  }

  /**
   * One flusher per lane ({@code flush.lanes}), each with its own sink (connection, offsets row), breaker and
   * share of the queue; the layout check runs before any of them resumes.
   */
  private FlushLanes flushLanes(RouterConfig config, int lanes, Path queueDir) {
    long lastIndexAtStart = queue.lastIndex();
    LaneLayout layout = new LaneLayout(sink(dataSource, 0).laneOffsets(), lanes, queue::firstUncommitted, lastIndexAtStart);
    java.util.List<io.logrouter.buffer.BatchSource> readers =
        queue.createLaneReaders(lanes, Quarantine.under(queueDir), System::nanoTime);
    FlushPolicy policy = flushPolicy();
    return new FlushLanes(lanes, lane -> Flusher.builder()
        .source(readers.get(lane))
        .sink(sink(dataSource, lane))
        .gate(gate)
        .policy(policy)
        .breaker(new CircuitBreaker(config.get(ConfigKeys.FLUSH_RETRY_INITIAL), config.get(ConfigKeys.FLUSH_RETRY_MAX),
            () -> ThreadLocalRandom.current().nextDouble()))
        .metrics(metrics)
        .stallTimeout(stallTimeout(config))
        .lane(lane, lanes, layout)
        .lastIndexAtStart(lastIndexAtStart)
        .build());
  }

  /** A flush lane's sink writing through {@code connections}. */
  private MySqlSink sink(javax.sql.DataSource connections, int lane) {
    String routerId = config.get(ConfigKeys.ROUTER_ID);
    return MySqlSink.builder(connections, routerId)
        .ddl(ddl)
        .statementBytes(config.get(ConfigKeys.FLUSH_STATEMENT_BYTES))
        .loadData(loadDataDir)
        .profile(config.get(ConfigKeys.DB_PROFILE))
        .deduplicateWith(new IngestKeys(routerId, config.get(ConfigKeys.DEDUP_FIELD), config.get(ConfigKeys.DEDUP_WINDOW)))
        .ids(io.logrouter.profile.IdGeneration.chosen(config.get(ConfigKeys.DB_IDS), config.get(ConfigKeys.DB_PROFILE)))
        .lane(lane)
        .writeTimeout(config.get(ConfigKeys.FLUSH_WRITE_TIMEOUT))
        .build();
  }

  private FlushPolicy flushPolicy() {
    return new FlushPolicy(config.get(ConfigKeys.DB_PROFILE).flushBytes(config.get(ConfigKeys.FLUSH_MAX_BYTES)),
        config.get(ConfigKeys.FLUSH_INTERVAL));
  }

  /** {@code flush.stall.timeout}, where 0 means twice the flush interval plus a minute. */
  static java.time.Duration stallTimeout(RouterConfig config) {
    java.time.Duration configured = config.get(ConfigKeys.FLUSH_STALL_TIMEOUT);
    return configured.isZero() ? config.get(ConfigKeys.FLUSH_INTERVAL).multipliedBy(2).plusSeconds(60) : configured;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create queue.dir " + dir, e);
    }
  }
}

package io.logrouter.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Every key the router reads: name, default and doc in one place. {@code config/log-router.properties}
 * documents the same keys (a test keeps the two in step). Each key can be overridden by an
 * environment variable: upper case, dots to underscores, prefix {@code LOGROUTER_}.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final ConfigKey<String> HTTP_HOST = key("http.host", "0.0.0.0",
      "Address the HTTP listener binds to.", Function.identity());
  public static final ConfigKey<Integer> HTTP_PORT = key("http.port", "8080",
      "HTTP port; 0 picks a free one (printed at start).", Values::port);
  public static final ConfigKey<Integer> HTTP_IO_THREADS = key("http.io.threads", "0",
      "Undertow IO threads; 0 means one per core. Ingest runs on them (parse + append, no blocking).",
      Values::nonNegativeInt);
  public static final ConfigKey<Long> HTTP_MAX_BODY_BYTES = key("http.max.body.bytes", "8MB",
      "Largest request body, measured after gzip decoding; larger is a 413.", Values::bytes);
  public static final ConfigKey<Long> EVENT_MAX_MESSAGE_BYTES = key("event.max.message.bytes", "1MB",
      "Largest message of one event, in UTF-8 bytes; larger is a 413. MEDIUMTEXT holds 16MB.", Values::bytes);
  public static final ConfigKey<Duration> HTTP_DRAIN_TIMEOUT = key("http.drain.timeout", "10s",
      "On shutdown, how long in-flight requests may take to finish.", Values::duration);

  public static final ConfigKey<Boolean> HTTP_BENCH_NOOP = key("http.bench.noop", "false",
      "Benchmarks only: adds POST /bench/noop, which reads the body and answers 202 without parsing or "
          + "queueing: the ceiling of this HTTP stack.", Values::bool);

  public static final ConfigKey<String> DB_URL = key("db.url", "",
      "JDBC URL of MySQL 8.x / MariaDB 10.11+, e.g. jdbc:mysql://127.0.0.1:3306/logs (created if missing). "
          + "Required by the jar; the dev launcher starts an embedded MariaDB when empty.", Function.identity());
  public static final ConfigKey<String> DB_USER = key("db.user", "root", "Database user.", Function.identity());
  public static final ConfigKey<String> DB_PASSWORD = key("db.password", "",
      "Database password; prefer the LOGROUTER_DB_PASSWORD environment variable.", Function.identity());
  public static final ConfigKey<Integer> DB_POOL_SIZE = key("db.pool.size", "4",
      "HikariCP pool size: one connection for the flusher, the rest for queries and health checks.",
      Values::positiveInt);

  public static final ConfigKey<io.logrouter.profile.DbProfile> DB_PROFILE = key("db.profile", "mysql",
      "What the target engine allows: mysql, mariadb, galera, group-replication, tidb or vitess. Picks LOAD DATA or "
          + "multi-row INSERTs, caps flush.max.bytes and flush.statement.bytes below the engine's transaction and "
          + "statement limits, and reads the commit point causally on clusters (docs/SCALING.md).",
      io.logrouter.profile.DbProfile::named);
  public static final ConfigKey<String> DB_IDS = key("db.ids", "profile",
      "Who makes logs.id: profile (the db.profile's choice: writer_scattered on tidb, writer on vitess, else "
          + "auto_increment), auto_increment (the server), writer (each flush lane from a slot of its own and a "
          + "counter in its offsets row: no central counter, a retried flush writes the same ids) or "
          + "writer_scattered (writer, spread over 32 key ranges like TiDB's AUTO_RANDOM). Every router writing "
          + "one database must use the same kind (docs/SCALING.md §5).",
      Values::dbIds);

  public static final ConfigKey<String> ROUTER_ID = key("router.id", "",
      "This instance's id in router_offsets and logs.router_id; empty means the host name.",
      Function.identity());

  public static final ConfigKey<String> QUEUE_DIR = key("queue.dir", "data/queue",
      "Directory of this instance's Chronicle Queue (one directory per instance, never shared).",
      Function.identity());
  public static final ConfigKey<Durability> QUEUE_DURABILITY = key("queue.durability", "process",
      "process: acked events survive kill -9 of the router; fsync: they also survive power loss "
          + "(acks wait for a group fsync).", text -> Values.oneOf(Durability.class, text));
  public static final ConfigKey<String> QUEUE_ROLL_CYCLE = key("queue.roll.cycle", "TEN_MINUTELY",
      "Chronicle roll cycle: how much time one queue file covers. Files are deleted once fully flushed, "
          + "so a shorter cycle keeps the disk flatter.", Values::rollCycleName);
  public static final ConfigKey<Long> QUEUE_MAX_BYTES = key("queue.max.bytes", "4GB",
      "Backlog limit: bytes of events appended but not yet committed to MySQL; past it ingest answers 503.",
      Values::bytes);
  public static final ConfigKey<Long> DISK_MIN_FREE_BYTES = key("disk.min.free.bytes", "512MB",
      "Free-disk floor of the queue's file system; below it ingest answers 503 (a full disk would kill "
          + "Chronicle with SIGBUS).", Values::bytes);
  public static final ConfigKey<Duration> QUEUE_FSYNC_WINDOW = key("queue.fsync.window", "0ms",
      "fsync mode: extra wait to gather acks into one fsync; 0 = fsync as soon as the previous one ends "
          + "(requests arriving meanwhile share the next one).", Values::duration);
  public static final ConfigKey<Duration> QUEUE_RESIDENT_TRIM_INTERVAL = key("queue.resident.trim.interval", "5s",
      "How long at most the queue's mapped pages stay in the router's resident memory while few bytes move (Linux "
          + "5.4+: madvise PAGEOUT drops them; the data stays in the page cache or on disk): a trim runs this long "
          + "after the last one when anything was appended or read meanwhile, sooner past queue.resident.trim.bytes, "
          + "and every ten intervals when idle. Each trim delays the requests in flight by up to a few ms: 100 ms raised "
          + "p99 and p99.9 at 1,000 req/s. 0 = never (RSS then holds up to two or three 64 MB blocks).",
      Values::duration);
  public static final ConfigKey<Long> QUEUE_RESIDENT_TRIM_BYTES = key("queue.resident.trim.bytes", "16MB",
      "A trim of the queue's mapped pages also runs as soon as this many bytes have been appended or read since "
          + "the last one: the queue's share of RSS stays about this size at any ingest rate; 0 = by time only.",
      Values::bytes);

  public static final ConfigKey<Boolean> JVM_JIT_IDLE = key("jvm.jit.idle", "true",
      "Linux: once the JIT has warmed up (a second with under 5 % of it spent compiling), the router puts the JVM's "
          + "C2 compiler threads under SCHED_IDLE (with util-linux chrt), so later recompiling runs on idle CPU time "
          + "and no longer delays requests: p99 at 1,000 req/s on 2 cores 0.60-0.84 ms instead of 1.61-1.88. Costs a "
          + "slower warm-up when a router idle since start is then saturated. false = leave them.",
      Values::bool);

  public static final ConfigKey<Integer> JVM_WARMUP_REQUESTS = key("jvm.warmup.requests", "20000",
      "Before it opens its port, the router sends itself at least this many requests on loopback (single events, "
          + "arrays and NDJSON, to a scratch server over a scratch queue in queue.dir/warmup, deleted after; nothing "
          + "reaches the database or the metrics), then more in rounds of 1,000 until a round passes with the JIT "
          + "compilers quiet (15 s at most). After each round it flushes them, as a flush lane does, into TEMPORARY "
          + "copies of its tables on a connection of its own (needs the CREATE TEMPORARY TABLES privilege; without it, "
          + "only the requests are rehearsed). So the first real requests and the first flush meet compiled code "
          + "instead of the interpreter and busy compilers. Delays the port by 6-15 s on 2 cores. 0 = off.",
      Values::nonNegativeInt);

  public static final ConfigKey<Long> FLUSH_MAX_BYTES = key("flush.max.bytes", "10MB",
      "A flush starts when this many bytes of events are waiting.", Values::bytes);
  public static final ConfigKey<Duration> FLUSH_INTERVAL = key("flush.interval", "30s",
      "A flush starts when this long has passed since the last one and events are waiting.",
      Values::duration);
  public static final ConfigKey<String> FLUSH_METHOD = key("flush.method", "load_data",
      "load_data: LOAD DATA LOCAL, rows streamed from the queue to the server, no file (fastest; falls back "
          + "to insert by itself when the server refuses local_infile); insert: multi-row INSERTs.", Values::flushMethod);
  public static final ConfigKey<Long> FLUSH_STATEMENT_BYTES = key("flush.statement.bytes", "4MB",
      "Largest multi-row INSERT sent in one statement; stays below max_allowed_packet (16MB on MariaDB).",
      Values::bytes);
  public static final ConfigKey<Integer> FLUSH_LANES = key("flush.lanes", "1",
      "Parallel flushers, each with its own database connection, its own share of the queue (documents by "
          + "position, modulo the count) and its own router_offsets row: for engines that scale with concurrent "
          + "writers (TiDB, Vitess, a big server). Changing it needs a flushed queue: with documents still "
          + "waiting under the old count, nothing is flushed and /ready says so. db.pool.size is raised to "
          + "flush.lanes + 2 when lower.", Values::flushLanes);
  public static final ConfigKey<Duration> FLUSH_RETRY_INITIAL = key("flush.retry.initial", "200ms",
      "First back-off after a failed flush; doubles on each failure (full jitter).", Values::duration);
  public static final ConfigKey<Duration> FLUSH_RETRY_MAX = key("flush.retry.max", "30s",
      "Cap of the back-off between flush attempts while MySQL fails.", Values::duration);

  public static final ConfigKey<Duration> FLUSH_SHUTDOWN_TIMEOUT = key("flush.shutdown.timeout", "30s",
      "On shutdown, how long the final flush may retry an unavailable MySQL; what is left stays queued.",
      Values::duration);

  public static final ConfigKey<Duration> FLUSH_STALL_TIMEOUT = key("flush.stall.timeout", "0s",
      "/ready answers 503 \"flusher stalled\", logrouter_flush_stalled is 1 and one ERROR line with the flusher "
          + "thread's stack is logged when queued events have waited this long with nothing committed while MySQL "
          + "answers; 0s means 2 x flush.interval + 60s.", Values::duration);

  public static final ConfigKey<Duration> FLUSH_WRITE_TIMEOUT = key("flush.write.timeout", "120s",
      "A flush statement the database has taken no bytes of for this long (LOAD DATA: no rows read; INSERT:"
          + " the statement's whole time) has its connection aborted and the batch retried with back-off, with an"
          + " ERROR line and logrouter_flush_writes_aborted_total: the database or the network stopped reading,"
          + " and a socket write has no timeout of its own (reads wait at most 120 s, the driver's socketTimeout).",
      Values::duration);

  public static final ConfigKey<Duration> DEDUP_WINDOW = key("dedup.window", "24h",
      "How long a request's Idempotency-Key (and an event's own key: an Elasticsearch _id, or dedup.field) is "
          + "remembered: a retry within it is answered the same 2xx and stored nothing new, across restarts and "
          + "across routers sharing one MySQL.", Values::positiveDuration);
  public static final ConfigKey<String> DEDUP_FIELD = key("dedup.field", "",
      "An event field whose value de-duplicates events (e.g. a client's own event id): a second event with the "
          + "same value within dedup.window is not stored. Empty = off: the same client id twice is two rows.",
      Function.identity());

  // --- Operations: security, limits, least privilege, retention (issue 7). ---

  public static final ConfigKey<String> AUTH_API_KEYS = key("auth.api.keys", "",
      "API keys, comma-separated, each KEY or KEY:SCOPE with SCOPE one of ingest, query, admin, all or "
          + "several joined by + (ingest+query). A bare KEY means ingest+query. When any key is set, ingest and "
          + "query need Authorization: Bearer KEY or X-API-Key: KEY, and /admin/* needs an admin key; "
          + "/health, /ready and /metrics stay open. Empty (and no file): open, with a start-up warning; /admin/* then answers loopback clients only. "
          + "Prefer LOGROUTER_AUTH_API_KEYS or the file.", Function.identity());
  public static final ConfigKey<String> AUTH_API_KEYS_FILE = key("auth.api.keys.file", "",
      "File of API keys, one KEY or KEY:SCOPE a line (# comments, blank lines ignored); adds to auth.api.keys. "
          + "Re-read when its modification time changes (polled, never read per request).", Function.identity());
  public static final ConfigKey<Duration> AUTH_API_KEYS_FILE_POLL = key("auth.api.keys.file.poll", "5s",
      "How often the key file's modification time is checked; a changed file is live within this.",
      Values::positiveDuration);
  public static final ConfigKey<Boolean> HTTP_ENABLED = key("http.enabled", "true",
      "false turns the plain-HTTP listener off (then http.tls.keystore must be set).", Values::bool);
  public static final ConfigKey<String> HTTP_TLS_KEYSTORE = key("http.tls.keystore", "",
      "PKCS#12 keystore (certificate chain + private key) for the HTTPS listener; empty = no HTTPS. "
          + "HTTP/2 is offered on it through ALPN.", Function.identity());
  public static final ConfigKey<String> HTTP_TLS_KEYSTORE_PASSWORD = key("http.tls.keystore.password", "",
      "Password of the keystore and its key; prefer the LOGROUTER_HTTP_TLS_KEYSTORE_PASSWORD environment variable.",
      Function.identity());
  public static final ConfigKey<Integer> HTTP_TLS_PORT = key("http.tls.port", "8443",
      "HTTPS port (bound on http.host); 0 picks a free one.", Values::port);
  public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT = key("http.idle.timeout", "120s",
      "A connection with no request, or no bytes moving, for this long is closed.", Values::positiveDuration);
  public static final ConfigKey<Duration> HTTP_REQUEST_PARSE_TIMEOUT = key("http.request.parse.timeout", "30s",
      "A request whose headers have not all arrived within this is cut off (slowloris).", Values::positiveDuration);
  public static final ConfigKey<Duration> HTTP_REQUEST_BODY_TIMEOUT = key("http.request.body.timeout", "60s",
      "A request body still arriving this long after its headers is cut off and its connection closed (a body "
          + "trickled byte by byte to hold a connection; http.idle.timeout only catches one that stops).",
      Values::positiveDuration);
  public static final ConfigKey<Long> HTTP_REQUEST_BODY_MIN_RATE = key("http.request.body.min.rate", "1KB",
      "Slowest average rate, in bytes per second, at which a request body may arrive once "
          + "http.request.body.min.rate.grace has passed; slower, its connection is closed (a trickled body). "
          + "0 turns the floor off.",
      Values::bytes);
  public static final ConfigKey<Duration> HTTP_REQUEST_BODY_MIN_RATE_GRACE = key("http.request.body.min.rate.grace",
      "5s", "How long a request body may arrive at any rate before http.request.body.min.rate applies.",
      Values::positiveDuration);
  public static final ConfigKey<Long> HTTP_MAX_INFLIGHT_BODY_BYTES = key("http.max.inflight.body.bytes", "auto",
      "Memory all request bodies being received may hold at once; past it new requests get 503 + Retry-After "
          + "and their bodies are not read. auto = a quarter of the JVM's maximum heap.",
      text -> text.equalsIgnoreCase("auto") ? 0L : Values.bytes(text));
  public static final ConfigKey<Integer> HTTP_MAX_CONNECTIONS = key("http.max.connections", "10000",
      "Most client connections open at once (shared evenly by the IO threads); past it new connections "
          + "wait in the accept backlog until one closes.", Values::positiveInt);
  public static final ConfigKey<Integer> HTTP_MAX_EVENTS_PER_REQUEST = key("http.max.events.per.request", "10000",
      "Most events one request may carry; more is a 413.", Values::positiveInt);
  public static final ConfigKey<Integer> EVENT_MAX_ATTRIBUTES = key("event.max.attributes", "256",
      "Most top-level attribute fields (fields other than timestamp, level, source, message) of one event; "
          + "more is a 413.", Values::positiveInt);
  public static final ConfigKey<Integer> EVENT_MAX_ATTRIBUTES_DEPTH = key("event.max.attributes.depth", "30",
      "Deepest nesting of objects/arrays inside an attribute value; deeper is a 400. At most 30: MariaDB 10.11 "
          + "refuses JSON nested past 31 levels (MySQL 8.4 past 100) and the attributes object is one of them.",
      Values::positiveInt);
  public static final ConfigKey<Integer> RATELIMIT_REQUESTS_PER_SECOND = key("ratelimit.requests.per.second", "0",
      "Ingest and query requests allowed per second per API key (per client IP when no keys are set); "
          + "past it 429 with Retry-After. 0 = no limit.", Values::nonNegativeInt);
  public static final ConfigKey<Integer> RATELIMIT_BURST = key("ratelimit.burst", "0",
      "Requests a client may send at once above the steady rate; 0 = one second's worth.", Values::nonNegativeInt);
  public static final ConfigKey<Integer> RATELIMIT_MAX_CLIENTS = key("ratelimit.max.clients", "100000",
      "Most clients (keys or IPs) tracked one by one; beyond it new clients share one bucket, so a flood of "
          + "addresses cannot exhaust memory. Idle clients are forgotten.", Values::positiveInt);
  public static final ConfigKey<String> DB_MIGRATE_USER = key("db.migrate.user", "",
      "Database user for schema migrations and retention DDL (CREATE/ALTER/DROP); empty = db.user. Lets "
          + "db.user hold only SELECT, INSERT, UPDATE on the router's tables.", Function.identity());
  public static final ConfigKey<String> DB_MIGRATE_PASSWORD = key("db.migrate.password", "",
      "Password of db.migrate.user; prefer the LOGROUTER_DB_MIGRATE_PASSWORD environment variable.",
      Function.identity());
  public static final ConfigKey<Integer> RETENTION_DAYS = key("retention.days", "0",
      "Keep this many full days (UTC) of logs before today; older days are dropped as whole partitions. "
          + "> 0 makes the router partition `logs` by day (a one-off table copy) and check daily. 0 = off.",
      Values::nonNegativeInt);
  public static final ConfigKey<Integer> RETENTION_AHEAD_DAYS = key("retention.ahead.days", "3",
      "With retention on: daily partitions kept ready beyond today, so a missed daily run costs nothing.",
      Values::positiveInt);

  public static final ConfigKey<String> SYSLOG_HOST = key("syslog.host", "0.0.0.0",
      "Address the syslog listeners bind to.", Function.identity());
  public static final ConfigKey<Integer> SYSLOG_TCP_PORT = key("syslog.tcp.port", "0",
      "Syslog TCP port (RFC 5424 / RFC 3164, octet-counted or LF-framed, detected per connection); 0 = off. "
          + "While the queue refuses, the socket is not read (back-pressure, no loss).", Values::port);
  public static final ConfigKey<Integer> SYSLOG_UDP_PORT = key("syslog.udp.port", "0",
      "Syslog UDP port, one message per datagram; 0 = off. UDP can lose messages by nature (full kernel buffer).",
      Values::port);
  public static final ConfigKey<String> SYSLOG_TLS_KEYSTORE = key("syslog.tls.keystore", "",
      "PKCS#12 keystore (certificate chain + private key); when set, the syslog.tcp.port listener speaks TLS only "
          + "(RFC 5425; port 6514 is its convention), same protocols and suites as HTTPS. Empty = plain TCP.",
      Function.identity());
  public static final ConfigKey<String> SYSLOG_TLS_KEYSTORE_PASSWORD = key("syslog.tls.keystore.password", "",
      "Password of syslog.tls.keystore and its key; prefer the LOGROUTER_SYSLOG_TLS_KEYSTORE_PASSWORD environment "
          + "variable.", Function.identity());
  public static final ConfigKey<Duration> SYSLOG_TLS_HANDSHAKE_TIMEOUT = key("syslog.tls.handshake.timeout", "10s",
      "A TLS connection that has not finished its handshake this long after it was accepted is closed (counted as "
          + "handshake_timeout): a silent or stalled peer cannot hold a socket forever.", Values::duration);
  public static final ConfigKey<Long> SYSLOG_MAX_MESSAGE_BYTES = key("syslog.max.message.bytes", "64KB",
      "Longest syslog message (frame); a longer one is stored cut at this size with the attribute truncated=true. "
          + "At most event.max.message.bytes.", Values::bytes);

  public static final ConfigKey<Integer> TAIL_MAX_STREAMS = key("tail.max.streams", "8",
      "Live tail (GET /logs/tail): streams open at once; more are answered 503. Each costs a filter per accepted "
          + "event on the tail thread.", Values::positiveInt);
  public static final ConfigKey<Integer> TAIL_MAX_EVENTS_PER_SECOND = key("tail.max.events.per.second", "200",
      "Live tail: events sent per stream per second; the rest are dropped and counted in an SSE 'dropped' event.",
      Values::positiveInt);
  public static final ConfigKey<Duration> TAIL_HEARTBEAT = key("tail.heartbeat", "15s",
      "Live tail: an idle stream sends an SSE comment this often, so proxies keep it and clients notice a dead one.",
      Values::duration);

  public static final List<ConfigKey<?>> ALL = List.of(
      HTTP_HOST, HTTP_PORT, HTTP_IO_THREADS, HTTP_MAX_BODY_BYTES, EVENT_MAX_MESSAGE_BYTES, HTTP_DRAIN_TIMEOUT, HTTP_BENCH_NOOP,
      DB_URL, DB_USER, DB_PASSWORD, DB_POOL_SIZE, DB_PROFILE, DB_IDS, ROUTER_ID,
      QUEUE_DIR, QUEUE_DURABILITY, QUEUE_ROLL_CYCLE, QUEUE_MAX_BYTES, DISK_MIN_FREE_BYTES, QUEUE_FSYNC_WINDOW,
      QUEUE_RESIDENT_TRIM_INTERVAL, QUEUE_RESIDENT_TRIM_BYTES, JVM_JIT_IDLE, JVM_WARMUP_REQUESTS,
      FLUSH_MAX_BYTES, FLUSH_INTERVAL, FLUSH_METHOD, FLUSH_LANES, FLUSH_STATEMENT_BYTES, FLUSH_RETRY_INITIAL, FLUSH_RETRY_MAX, FLUSH_SHUTDOWN_TIMEOUT, FLUSH_STALL_TIMEOUT, FLUSH_WRITE_TIMEOUT, DEDUP_WINDOW, DEDUP_FIELD,
      AUTH_API_KEYS, AUTH_API_KEYS_FILE, AUTH_API_KEYS_FILE_POLL, HTTP_ENABLED, HTTP_TLS_KEYSTORE,
      HTTP_TLS_KEYSTORE_PASSWORD, HTTP_TLS_PORT, HTTP_IDLE_TIMEOUT, HTTP_REQUEST_PARSE_TIMEOUT,
      HTTP_REQUEST_BODY_TIMEOUT, HTTP_REQUEST_BODY_MIN_RATE, HTTP_REQUEST_BODY_MIN_RATE_GRACE,
      HTTP_MAX_INFLIGHT_BODY_BYTES, HTTP_MAX_CONNECTIONS,
      HTTP_MAX_EVENTS_PER_REQUEST, EVENT_MAX_ATTRIBUTES, EVENT_MAX_ATTRIBUTES_DEPTH, RATELIMIT_REQUESTS_PER_SECOND,
      RATELIMIT_BURST, RATELIMIT_MAX_CLIENTS, DB_MIGRATE_USER, DB_MIGRATE_PASSWORD, RETENTION_DAYS,
      RETENTION_AHEAD_DAYS, SYSLOG_HOST, SYSLOG_TCP_PORT, SYSLOG_UDP_PORT, SYSLOG_TLS_KEYSTORE, SYSLOG_TLS_KEYSTORE_PASSWORD,
      SYSLOG_TLS_HANDSHAKE_TIMEOUT,
      SYSLOG_MAX_MESSAGE_BYTES, TAIL_MAX_STREAMS, TAIL_MAX_EVENTS_PER_SECOND, TAIL_HEARTBEAT);

  private static <T> ConfigKey<T> key(String name, String def, String doc, Function<String, T> parser) {
    return new ConfigKey<>(name, def, doc, parser);
  }
}

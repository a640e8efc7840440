-- Events per UTC minute and level, written by the router in the same transaction as the rows they
-- count (rows, counts and the offsets row commit together), so they are exactly the rows in `logs`:
-- after de-duplication, without the dead letters. GET /logs/histogram reads them instead of counting
-- index entries of `logs` (BENCHMARKS.md, issue 14). Runs unchanged on MySQL 8.x and MariaDB 10.11+.
--
-- Keyed by writer (router_id, lane): each router, and each flush lane of a router, adds to its own
-- rows only, so concurrent flushes never wait on each other's locks, and on a Galera cluster never
-- fail certification on a shared row. A reader sums over writers.
--
-- Two grains, each read as a range of its primary key: per minute and level (a histogram with no
-- source filter: one row per minute, level and writer, whatever the traffic), and per source, minute
-- and level (a histogram of one source). `source` is '' for events without one (NULL in `logs`),
-- and for the rare event whose source is the empty string.
--
-- Rows that do not come through the router's flush (a DBA's own INSERT into `logs`) are not counted;
-- a DBA who loads rows by hand adds them here too (docs/DBA.md). Retention deletes the counts of the
-- days it drops.

CREATE TABLE log_minute_counts (
  minute    DATETIME        NOT NULL COMMENT 'UTC minute of the events'' ts (seconds 00)',
  level     VARCHAR(16)     NOT NULL,
  router_id VARCHAR(64)     NOT NULL COMMENT 'router that flushed the events',
  lane      SMALLINT        NOT NULL COMMENT 'flush lane of that router',
  events    BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (minute, level, router_id, lane)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci;

CREATE TABLE log_source_minute_counts (
  source    VARCHAR(255)    NOT NULL COMMENT ''''' for events without a source',
  minute    DATETIME        NOT NULL COMMENT 'UTC minute of the events'' ts (seconds 00)',
  level     VARCHAR(16)     NOT NULL,
  router_id VARCHAR(64)     NOT NULL,
  lane      SMALLINT        NOT NULL,
  events    BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (source, minute, level, router_id, lane),
  -- Retention deletes by minute across every source.
  KEY log_source_minute_counts_minute (minute)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci;

-- Rows stored before this migration: counted once here, as lane 0 of the router that wrote them.
-- One upsert per row of `logs`, in the order the scan reads them, rather than one GROUP BY: no
-- temporary table of every (source, minute, level) key, which on 10M rows outgrew memory and ran
-- for over 20 minutes; this took 4 min 40 s there, under load (BENCHMARKS.md, issue 14). Other
-- routers' flushes wait for it.
INSERT INTO log_source_minute_counts (source, minute, level, router_id, lane, events)
SELECT COALESCE(source, ''), DATE_FORMAT(ts, '%Y-%m-%d %H:%i:00'), level, router_id, 0, 1
FROM logs
ON DUPLICATE KEY UPDATE events = events + 1;

INSERT INTO log_minute_counts (minute, level, router_id, lane, events)
SELECT s.minute, s.level, s.router_id, s.lane, s.events
FROM log_source_minute_counts s
ON DUPLICATE KEY UPDATE events = log_minute_counts.events + VALUES(events);

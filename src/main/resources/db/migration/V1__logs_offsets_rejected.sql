-- log-router schema, version 1. Runs unchanged on MySQL 8.x and MariaDB 10.11+.
--
-- Collation utf8mb4_unicode_520_ci is named explicitly: it exists on both servers, is
-- case-insensitive, and (unlike utf8mb4_general_ci / utf8mb4_unicode_ci) does not compare every
-- emoji equal to every other one, so a search for one emoji does not match all of them.
--
-- All DATETIME(6) columns hold UTC. The router writes them from UTC values and never relies on
-- the session time zone.

CREATE TABLE logs (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ts          DATETIME(6)     NOT NULL COMMENT 'event time, UTC, microseconds',
  level       VARCHAR(16)     NOT NULL COMMENT 'upper case: TRACE DEBUG INFO WARN ERROR FATAL or the sender''s own',
  source      VARCHAR(255)    NULL     COMMENT 'service or client id that sent the event',
  message     MEDIUMTEXT      NULL,
  attributes  JSON            NULL     COMMENT 'every other field of the event, JSON types kept',
  received_at DATETIME(6)     NOT NULL COMMENT 'when the router received the request, UTC',
  router_id   VARCHAR(64)     NOT NULL COMMENT 'router instance that accepted the event',
  -- ts is part of the primary key so that the table can be RANGE-partitioned by day on ts
  -- (MySQL requires every unique key to contain the partitioning column).
  PRIMARY KEY (id, ts),
  KEY logs_ts (ts, id),
  KEY logs_level_ts (level, ts, id),
  KEY logs_source_ts (source, ts, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci;

-- One row per router instance: the last Chronicle Queue index whose events are committed in
-- `logs`. Written in the same transaction as the rows, which is what makes the flush exactly-once.
CREATE TABLE router_offsets (
  router_id  VARCHAR(64)  NOT NULL,
  last_index BIGINT       NOT NULL,
  updated_at DATETIME(6)  NOT NULL,
  PRIMARY KEY (router_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci;

-- Dead letters: events MySQL refused for good (not a transient error), with the reason.
CREATE TABLE logs_rejected (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  router_id   VARCHAR(64)     NOT NULL,
  queue_index BIGINT          NOT NULL COMMENT 'Chronicle index of the request that carried the event',
  event       MEDIUMTEXT      NOT NULL COMMENT 'the normalized event as JSON',
  error       TEXT            NOT NULL,
  rejected_at DATETIME(6)     NOT NULL,
  PRIMARY KEY (id),
  KEY logs_rejected_at (rejected_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci;

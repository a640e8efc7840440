-- Idempotency: the keys of requests (Idempotency-Key) and of events (an Elasticsearch action's _id,
-- or the field named by dedup.field) already stored, so a retried batch lands once: across restarts of
-- the router and across routers sharing this database. A key row is written in the same transaction
-- as the rows it admits; the first owner wins (a unique key), a later one's events are dropped.
-- Rows older than dedup.window are deleted by the router.
CREATE TABLE ingest_keys (
  key_hash   BINARY(32)   NOT NULL COMMENT 'SHA-256 of kind and key',
  kind       CHAR(1)      NOT NULL COMMENT 'r: a request''s Idempotency-Key, e: an event''s own key',
  owner      VARCHAR(128) NOT NULL COMMENT 'router_id/queue index/event that stored it first',
  created_at DATETIME(6)  NOT NULL,
  PRIMARY KEY (key_hash),
  KEY ingest_keys_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci;

-- Writer-made ids (db.ids=writer / writer_scattered, docs/SCALING.md §5). Unused with the default
-- AUTO_INCREMENT ids: then router_offsets.next_id (V6) stays NULL and logs_id_writers empty.
--
-- A flush lane that makes its own logs.id values owns a slot: a row here, whose number no other lane or
-- router ever gets. Its ids are slot << 44 | counter; the counter is router_offsets.next_id (V6), committed
-- with the rows and the offset. Rows are never deleted here: a slot number handed out once must never
-- come back (InnoDB may reuse an AUTO_INCREMENT value of deleted rows after a restart).
CREATE TABLE logs_id_writers (
  slot       INT UNSIGNED      NOT NULL AUTO_INCREMENT,
  router_id  VARCHAR(64)       NOT NULL,
  lane       SMALLINT UNSIGNED NOT NULL,
  created_at DATETIME(6)       NOT NULL COMMENT 'UTC',
  PRIMARY KEY (slot)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_520_ci;

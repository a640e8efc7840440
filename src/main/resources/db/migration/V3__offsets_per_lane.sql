-- Flush lanes (flush.lanes): a router with N lanes keeps N rows here, one per lane, each the last queue
-- index that lane committed (its documents are those whose sequence number in their cycle file is the
-- lane modulo N). A router with one lane keeps its single row as lane 0: existing rows become lane 0.
ALTER TABLE router_offsets
  ADD COLUMN lane SMALLINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'flush lane, 0 .. flush.lanes-1' AFTER router_id,
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (router_id, lane);

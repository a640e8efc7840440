-- Writer-made ids (db.ids), part two: each flush lane's id counter, committed with its offset (see V5).
-- A migration of its own: MySQL/MariaDB DDL is not transactional, and one statement per migration lets
-- a migration that failed on a transient error (a Galera conflict) simply run again (sink.Migrations).
ALTER TABLE router_offsets
  ADD COLUMN next_id BIGINT NULL COMMENT 'writer-made ids: the next logs.id sequence of this lane; NULL with AUTO_INCREMENT ids';

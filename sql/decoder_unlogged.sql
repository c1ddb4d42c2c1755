-- Unlogged and temporary tables are not in the WAL, so not decoded.
SET client_min_messages = warning;
CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY);
CREATE TEMPORARY TABLE tmp (id int PRIMARY KEY);
CREATE TABLE kept (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('unlogged_slot', 'pub_backoffice');
INSERT INTO scratch VALUES (1);
INSERT INTO tmp VALUES (1);
INSERT INTO kept VALUES (1);
SELECT (data::json)->'source'->>'table' AS tbl
  FROM pg_logical_slot_get_changes('unlogged_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('unlogged_slot');
DROP TABLE scratch, tmp, kept;

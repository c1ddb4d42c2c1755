-- before images under each REPLICA IDENTITY: DEFAULT (update: null; delete:
-- key, NOT NULL columns zero), FULL (everything), INDEX (the index's
-- columns), NOTHING (no before; no key for a delete).
SET client_min_messages = warning;
CREATE TABLE ri_default (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL, note text);
CREATE TABLE ri_full (id int PRIMARY KEY, name text NOT NULL, note text);
ALTER TABLE ri_full REPLICA IDENTITY FULL;
CREATE TABLE ri_index (id int NOT NULL, code text NOT NULL, note text);
CREATE UNIQUE INDEX ri_index_code ON ri_index (code);
ALTER TABLE ri_index REPLICA IDENTITY USING INDEX ri_index_code;
CREATE TABLE ri_nothing (id int PRIMARY KEY, note text);
ALTER TABLE ri_nothing REPLICA IDENTITY NOTHING;
CREATE TABLE ri_nokey (a int, b text);
ALTER TABLE ri_nokey REPLICA IDENTITY FULL;
SELECT 'init' FROM pg_create_logical_replication_slot('ri_slot', 'pub_backoffice');
INSERT INTO ri_default VALUES (1, 'a', 5, 'n');
UPDATE ri_default SET note = 'm';
DELETE FROM ri_default;
INSERT INTO ri_full VALUES (1, 'a', 'n');
UPDATE ri_full SET note = 'm';
DELETE FROM ri_full;
INSERT INTO ri_index VALUES (1, 'c', 'n');
UPDATE ri_index SET note = 'm';
DELETE FROM ri_index;
INSERT INTO ri_nothing VALUES (1, 'n');
UPDATE ri_nothing SET note = 'm';
DELETE FROM ri_nothing;
INSERT INTO ri_nokey VALUES (1, 'n');
UPDATE ri_nokey SET b = 'm';
DELETE FROM ri_nokey;
SELECT data::json->'value'->'source'->>'table' AS tbl, data::json->'key' AS key,
       data::json->'value'->>'op' AS op, data::json->'value'->'before' AS before,
       data::json->'value'->'after' AS after
  FROM pg_logical_slot_get_changes('ri_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record');
SELECT pg_drop_replication_slot('ri_slot');
DROP TABLE ri_default, ri_full, ri_index, ri_nothing, ri_nokey;

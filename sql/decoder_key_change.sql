-- Changing the primary key is a delete of the old key, its tombstone and a
-- create of the new one.
SET client_min_messages = warning;
CREATE TABLE kegs (id int PRIMARY KEY, beer text NOT NULL);
CREATE TABLE casks (id int PRIMARY KEY, beer text NOT NULL);
ALTER TABLE casks REPLICA IDENTITY FULL;
SELECT 'init' FROM pg_create_logical_replication_slot('key_slot', 'pub_backoffice');
INSERT INTO kegs VALUES (1, 'Lager');
UPDATE kegs SET id = 2;
INSERT INTO casks VALUES (1, 'Bitter');
UPDATE casks SET id = 2;
SELECT data::json->>'topic' AS topic, data::json->'key' AS key,
       data::json->'value'->>'op' AS op, data::json->'value'->'before' AS before,
       data::json->'value'->'after' AS after
  FROM pg_logical_slot_get_changes('key_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record');
SELECT pg_drop_replication_slot('key_slot');
DROP TABLE kegs, casks;

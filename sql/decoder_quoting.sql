-- Names needing quoting: JSON escapes them; topics replace characters
-- Kafka does not allow with '_', as Debezium does.  Characters beyond the
-- BMP are escaped as UTF-16 surrogate pairs, as Jackson writes them.
SET client_min_messages = warning;
CREATE SCHEMA "Bar Room";
CREATE TABLE "Bar Room"."Tab/""1""" ("Id" int PRIMARY KEY, "na""me" text, "é" int);
SELECT 'init' FROM pg_create_logical_replication_slot('quoting_slot', 'pub_backoffice');
INSERT INTO "Bar Room"."Tab/""1""" VALUES (1, 'x😀é€', 2);
SELECT data FROM pg_logical_slot_peek_changes('quoting_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record');
SELECT (data::json)->'schema'->>'name' AS envelope,
       (data::json)->'schema'->'fields'->1->>'name' AS value_name,
       json_array_elements((data::json)->'schema'->'fields'->1->'fields') AS field
  FROM pg_logical_slot_get_changes('quoting_slot', NULL, NULL, 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('quoting_slot');
DROP SCHEMA "Bar Room" CASCADE;

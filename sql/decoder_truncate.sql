-- TRUNCATE is op "t", one event per table, null key; skipped by default
-- (Debezium's skipped.operations default is "t").
SET client_min_messages = warning;
CREATE TABLE glasses (id int PRIMARY KEY);
CREATE TABLE mugs (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('truncate_slot', 'pub_backoffice');
INSERT INTO glasses VALUES (1);
TRUNCATE glasses, mugs;
SELECT data FROM pg_logical_slot_peek_changes('truncate_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record');
SELECT data FROM pg_logical_slot_get_changes('truncate_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record',
    'skipped.operations', 'none');
SELECT pg_drop_replication_slot('truncate_slot');
DROP TABLE glasses, mugs;

-- batch.bytes packs lines into one message only in a streaming walsender
-- (test/integration/test_decoder_batching.py): bad values are rejected when
-- the slot starts, and the SQL functions keep one row per event whatever it is.
SET client_min_messages = warning;
CREATE TABLE batch (id int PRIMARY KEY, name text NOT NULL);
SELECT 'init' FROM pg_create_logical_replication_slot('batch_slot', 'pub_backoffice');
SELECT data FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL, 'batch.bytes', '-1');
SELECT data FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL, 'batch.bytes', 'lots');
SELECT data FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL, 'batch.bytes', '64 apples');
SELECT data FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL, 'batch.bytes', '1GB');
SELECT data FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL, 'batch.bytes', '67108865');
SELECT pg_logical_emit_message(false, 'till', 'open') IS NOT NULL AS emitted;
INSERT INTO batch SELECT g, 'pint ' || g FROM generate_series(1, 3) g;
-- good values, with and without a unit: one row per event each time
SELECT count(*) AS rows, bool_and(strpos(data, E'\n') = 0) AS single_lines
FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL, 'batch.bytes', '1',
    'schemas.enable', 'false');
SELECT count(*) AS rows, bool_and(strpos(data, E'\n') = 0) AS single_lines
FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL, 'batch.bytes', '64MB');
SELECT count(*) AS rows FROM pg_logical_slot_peek_changes('batch_slot', NULL, NULL,
    'batch.bytes', '0');
SELECT data FROM pg_logical_slot_get_changes('batch_slot', NULL, NULL,
    'batch.bytes', '8kB', 'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('batch_slot');
DROP TABLE batch;

-- A 1M-row transaction decodes one event per row (counted, not printed).
SET client_min_messages = warning;
CREATE TABLE pulls (id int PRIMARY KEY, n int);
SELECT 'init' FROM pg_create_logical_replication_slot('large_slot', 'pub_backoffice');
INSERT INTO pulls SELECT g, g FROM generate_series(1, 1000000) g;
SELECT count(*) AS events
  FROM pg_logical_slot_get_changes('large_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('large_slot');
DROP TABLE pulls;

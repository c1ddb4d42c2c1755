-- provide.transaction.metadata: BEGIN and END events on <prefix>.transaction
-- and a transaction block on each data event.
SET client_min_messages = warning;
CREATE TABLE orders (id int PRIMARY KEY);
CREATE TABLE order_lines (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('txmeta_slot', 'pub_backoffice');
-- END lists the tables in Debezium's HashMap order (orders before
-- order_lines), not in the order of their first events.
BEGIN;
INSERT INTO order_lines VALUES (1), (2);
INSERT INTO orders VALUES (1);
INSERT INTO order_lines VALUES (3);
COMMIT;
SELECT data FROM pg_logical_slot_peek_changes('txmeta_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record',
    'provide.transaction.metadata', 'true');
-- unmasked, each id is "<xid>:<lsn of that record>"
SELECT data::json->'value'->>'status' AS status,
       split_part(data::json->'key'->>'id', ':', 1) = xid::text AS id_has_xid,
       split_part(data::json->'key'->>'id', ':', 2)::numeric > 0 AS id_has_lsn
  FROM pg_logical_slot_peek_changes('txmeta_slot', NULL, NULL, 'schemas.enable', 'false',
    'output', 'record', 'provide.transaction.metadata', 'true')
 WHERE data::json->>'topic' = 'pub.transaction';
SELECT count(DISTINCT data::json->'value'->'transaction'->>'id') AS distinct_ids
  FROM pg_logical_slot_peek_changes('txmeta_slot', NULL, NULL, 'schemas.enable', 'false',
    'output', 'record', 'provide.transaction.metadata', 'true')
 WHERE data::json->>'topic' <> 'pub.transaction';
SELECT data::json->'key'->'schema' AS key_schema,
       json_array_elements(data::json->'value'->'schema'->'fields') AS value_field
  FROM pg_logical_slot_get_changes('txmeta_slot', NULL, NULL, 'mask.volatile', 'true',
    'output', 'record', 'provide.transaction.metadata', 'true')
 WHERE data::json->>'topic' = 'pub.transaction' AND data LIKE '%BEGIN%';
SELECT pg_drop_replication_slot('txmeta_slot');
DROP TABLE orders, order_lines;

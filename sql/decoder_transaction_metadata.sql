-- provide.transaction.metadata: BEGIN and END events on <prefix>.transaction
-- and a transaction block on each data event.
SET client_min_messages = warning;
CREATE TABLE orders (id int PRIMARY KEY);
CREATE TABLE order_lines (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('txmeta_slot', 'pub_backoffice');
BEGIN;
INSERT INTO orders VALUES (1);
INSERT INTO order_lines VALUES (1), (2);
INSERT INTO orders VALUES (2);
COMMIT;
SELECT data FROM pg_logical_slot_peek_changes('txmeta_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record',
    'provide.transaction.metadata', 'true');
SELECT data::json->'key'->'schema' AS key_schema,
       json_array_elements(data::json->'value'->'schema'->'fields') AS value_field
  FROM pg_logical_slot_get_changes('txmeta_slot', NULL, NULL, 'mask.volatile', 'true',
    'output', 'record', 'provide.transaction.metadata', 'true')
 WHERE data::json->>'topic' = 'pub.transaction' AND data LIKE '%BEGIN%';
SELECT pg_drop_replication_slot('txmeta_slot');
DROP TABLE orders, order_lines;

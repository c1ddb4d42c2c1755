-- ALTER TABLE between changes: the next change carries the new column, in
-- the payload and in the schema.
SET client_min_messages = warning;
CREATE TABLE staff (id int PRIMARY KEY, name text);
SELECT 'init' FROM pg_create_logical_replication_slot('ddl_slot', 'pub_backoffice');
INSERT INTO staff VALUES (1, 'Ann');
ALTER TABLE staff ADD COLUMN rate numeric(6,2) DEFAULT 12.50;
INSERT INTO staff VALUES (2, 'Bob', 13.00);
ALTER TABLE staff DROP COLUMN name;
INSERT INTO staff VALUES (3, 14.00);
SELECT (data::json)->'payload'->'after' AS after,
       jsonb_path_query_array((data::jsonb)->'schema'->'fields'->1->'fields', '$[*].field') AS fields
  FROM pg_logical_slot_get_changes('ddl_slot', NULL, NULL, 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('ddl_slot');
DROP TABLE staff;

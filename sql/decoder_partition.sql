-- A partitioned table's changes come from its leaf partition, which names
-- the topic, as Debezium reports them.
SET client_min_messages = warning;
CREATE TABLE sales (id int, night date, PRIMARY KEY (id, night)) PARTITION BY RANGE (night);
CREATE TABLE sales_2024 PARTITION OF sales FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE sales_2025 PARTITION OF sales FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
SELECT 'init' FROM pg_create_logical_replication_slot('partition_slot', 'pub_backoffice');
INSERT INTO sales VALUES (1, '2024-05-01'), (2, '2025-05-01');
UPDATE sales SET night = '2025-06-01' WHERE id = 1;
SELECT data::json->>'topic' AS topic, data::json->'key' AS key,
       data::json->'value'->>'op' AS op
  FROM pg_logical_slot_get_changes('partition_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record');
SELECT pg_drop_replication_slot('partition_slot');
DROP TABLE sales;

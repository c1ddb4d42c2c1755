-- Insert, update and delete as bare Debezium value documents (schemas off),
-- with a tombstone after the delete in record output.
SET client_min_messages = warning;
CREATE TABLE basic (id int PRIMARY KEY, name text NOT NULL, qty int);
SELECT 'init' FROM pg_create_logical_replication_slot('basic_slot', 'pub_backoffice');
INSERT INTO basic VALUES (1, 'Guinness', 10);
UPDATE basic SET qty = 9 WHERE id = 1;
DELETE FROM basic WHERE id = 1;
SELECT data FROM pg_logical_slot_peek_changes('basic_slot', NULL, NULL,
    'schemas.enable', 'false', 'mask.volatile', 'true');
-- record output: topic, key and value; the delete's tombstone has value null
SELECT data FROM pg_logical_slot_get_changes('basic_slot', NULL, NULL,
    'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record');
-- tombstones.on.delete=false drops the tombstone
INSERT INTO basic VALUES (2, 'Stout', 1);
DELETE FROM basic WHERE id = 2;
SELECT data FROM pg_logical_slot_get_changes('basic_slot', NULL, NULL,
    'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record',
    'tombstones.on.delete', 'false');
-- topic.prefix names the topic and source.name
INSERT INTO basic VALUES (3, 'Ale', NULL);
SELECT data FROM pg_logical_slot_get_changes('basic_slot', NULL, NULL,
    'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record',
    'topic.prefix', 'bar');
SELECT pg_drop_replication_slot('basic_slot');
DROP TABLE basic;

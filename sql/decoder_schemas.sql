-- schemas.enable=true (the default): {"schema":…,"payload":…} for key and
-- value, in Kafka JsonConverter's key order.
SET client_min_messages = warning;
CREATE TABLE tap (id int PRIMARY KEY, beer varchar(20));
SELECT 'init' FROM pg_create_logical_replication_slot('schemas_slot', 'pub_backoffice');
INSERT INTO tap VALUES (1, 'Porter');
SELECT data FROM pg_logical_slot_peek_changes('schemas_slot', NULL, NULL,
    'mask.volatile', 'true');
SELECT data FROM pg_logical_slot_get_changes('schemas_slot', NULL, NULL,
    'mask.volatile', 'true', 'output', 'record');
SELECT pg_drop_replication_slot('schemas_slot');
DROP TABLE tap;

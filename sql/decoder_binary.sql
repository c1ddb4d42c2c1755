-- bytea in each binary.handling.mode, and in the schema.
SET client_min_messages = warning;
CREATE TABLE blobs (id int PRIMARY KEY, data bytea);
SELECT 'init' FROM pg_create_logical_replication_slot('binary_slot', 'pub_backoffice');
INSERT INTO blobs VALUES (1, '\xfbff00'), (2, ''), (3, NULL), (4, 'a');
SELECT m, (data::json)->'after'->'data' AS data
  FROM unnest(ARRAY['bytes', 'base64', 'base64-url-safe', 'hex']) AS m,
       LATERAL pg_logical_slot_peek_changes('binary_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
                'binary.handling.mode', m);
SELECT m, (data::json)->'schema'->'fields'->1->'fields'->1 AS field
  FROM unnest(ARRAY['bytes', 'hex']) AS m,
       LATERAL (SELECT data FROM pg_logical_slot_peek_changes('binary_slot', NULL, NULL,
                'mask.volatile', 'true', 'binary.handling.mode', m) LIMIT 1) AS d;
SELECT pg_drop_replication_slot('binary_slot');
DROP TABLE blobs;

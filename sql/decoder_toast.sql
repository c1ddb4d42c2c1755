-- A large TOASTed value not changed by an update is Debezium's placeholder;
-- changed, it is the full value.
SET client_min_messages = warning;
CREATE TABLE notes (id int PRIMARY KEY, body text, blob bytea, n int);
ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN blob SET STORAGE EXTERNAL;
SELECT 'init' FROM pg_create_logical_replication_slot('toast_slot', 'pub_backoffice');
INSERT INTO notes VALUES (1, repeat('x', 10000), convert_to(repeat('y', 10000), 'UTF8'), 1);
UPDATE notes SET n = 2 WHERE id = 1;
UPDATE notes SET body = repeat('z', 9000) WHERE id = 1;
SELECT (data::json)->>'op' AS op, length((data::json)->'after'->>'body') AS body_len,
       left((data::json)->'after'->>'body', 30) AS body,
       left((data::json)->'after'->>'blob', 40) AS blob, (data::json)->'after'->'n' AS n
  FROM pg_logical_slot_get_changes('toast_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
-- under REPLICA IDENTITY FULL the old tuple has the value, so it is shown
ALTER TABLE notes REPLICA IDENTITY FULL;
UPDATE notes SET n = 3 WHERE id = 1;
SELECT (data::json)->>'op' AS op, length((data::json)->'before'->>'body') AS before_len,
       length((data::json)->'after'->>'body') AS after_len,
       left((data::json)->'after'->>'blob', 20) AS blob
  FROM pg_logical_slot_get_changes('toast_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
-- the placeholder per binary.handling.mode (base64: null, as Debezium does)
ALTER TABLE notes REPLICA IDENTITY DEFAULT;
UPDATE notes SET n = 4 WHERE id = 1;
SELECT m, (data::json)->'after'->'blob' AS blob
  FROM unnest(ARRAY['bytes', 'base64', 'hex']) AS m,
       LATERAL pg_logical_slot_peek_changes('toast_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
                'binary.handling.mode', m);
SELECT pg_drop_replication_slot('toast_slot');
DROP TABLE notes;

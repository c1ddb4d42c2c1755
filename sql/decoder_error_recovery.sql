-- An error in the middle of decoding (here a statement timeout) frees the
-- decoder's memory; a later ALTER TABLE's invalidation must not touch it,
-- and the slot decodes normally afterwards.  Defaults that call functions
-- are not evaluated (Debezium only parses literals).
SET client_min_messages = warning;
CREATE FUNCTION boom() RETURNS int IMMUTABLE LANGUAGE plpgsql
    AS $$ BEGIN IF current_setting('test.boom', true) = 'on' THEN RAISE 'boom'; END IF; RETURN 1; END $$;
CREATE TABLE casks (id int PRIMARY KEY, n int DEFAULT boom());
SELECT 'init' FROM pg_create_logical_replication_slot('recovery_slot', 'pub_backoffice');
INSERT INTO casks (id) SELECT g FROM generate_series(1, 100000) g;
SET statement_timeout = '20ms';
SELECT count(*) FROM pg_logical_slot_peek_changes('recovery_slot', NULL, NULL);
RESET statement_timeout;
ALTER TABLE casks ADD COLUMN note text;
SET test.boom = 'on';
SELECT count(*) AS events, min(data::json->'schema'->'fields'->1->'fields'->1->>'default') AS n_default
  FROM pg_logical_slot_get_changes('recovery_slot', NULL, NULL, 'mask.volatile', 'true');
RESET test.boom;
SELECT pg_drop_replication_slot('recovery_slot');
DROP TABLE casks;
DROP FUNCTION boom();

-- Logical decoding messages: op "m" on <prefix>.message, transactional or
-- not, filtered by message.prefix.include.list/exclude.list.
SET client_min_messages = warning;
SELECT 'init' FROM pg_create_logical_replication_slot('message_slot', 'pub_backoffice');
SELECT 'sent' FROM pg_logical_emit_message(true, 'till', 'drawer opened');
SELECT 'sent' FROM pg_logical_emit_message(false, 'audit', '\x00ff'::bytea);
-- a non-transactional message is not flushed by itself; a transaction that
-- writes WAL (DDL: no events) flushes it
CREATE TABLE message_flush (id int);
SELECT data FROM pg_logical_slot_peek_changes('message_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true', 'output', 'record');
SELECT data FROM pg_logical_slot_peek_changes('message_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'message.prefix.exclude.list', 'aud.*');
SELECT json_array_elements((data::json)->'schema'->'fields') AS field
  FROM pg_logical_slot_get_changes('message_slot', NULL, NULL, 'mask.volatile', 'true',
    'message.prefix.include.list', 'till');
SELECT pg_drop_replication_slot('message_slot');
DROP TABLE message_flush;

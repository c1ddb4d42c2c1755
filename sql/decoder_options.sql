-- Every option rejects unknown names and bad values when the slot starts,
-- naming the option and the allowed values.
SET client_min_messages = warning;
SELECT 'init' FROM pg_create_logical_replication_slot('options_slot', 'pub_backoffice');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'no.such.option', 'x');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'schemas.enable', 'maybe');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'decimal.handling.mode', 'float');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'time.precision.mode', 'nanos');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'binary.handling.mode', 'base32');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'provide.transaction.metadata', '2');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'tombstones.on.delete', 'yes please');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'skipped.operations', 'c,x');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'output', 'avro');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'mask.volatile', 'sometimes');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'topic.prefix', '');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'table.include.list', 'public.(');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL, 'message.prefix.exclude.list', 'a[');
SELECT data FROM pg_logical_slot_get_changes('options_slot', NULL, NULL,
    'table.include.list', 'public.a', 'table.exclude.list', 'public.b');
-- good values are accepted (nothing to decode)
SELECT count(*) FROM pg_logical_slot_get_changes('options_slot', NULL, NULL,
    'topic.prefix', 'p', 'schemas.enable', 'off', 'decimal.handling.mode', 'STRING',
    'time.precision.mode', 'connect', 'binary.handling.mode', 'base64-url-safe',
    'provide.transaction.metadata', 'true', 'tombstones.on.delete', 'false',
    'skipped.operations', 'none', 'output', 'record', 'mask.volatile', 'on',
    'message.prefix.include.list', 'a.*,b');
SELECT pg_drop_replication_slot('options_slot');

-- The decoder's snapshot reads (op "r"), as an initial snapshot emits them.
CREATE FUNCTION pub.decoder_snapshot(relation regclass, VARIADIC options text[] DEFAULT '{}')
RETURNS SETOF text
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', 'decoder_snapshot_sql';

COMMENT ON FUNCTION pub.decoder_snapshot(regclass, text[]) IS
'Every row of a table as Debezium snapshot reads (op "r"), one document per line, with the decoder''s options given as name/value pairs like pg_logical_slot_get_changes';

CREATE FUNCTION pub.decoder_snapshot_tables(tables regclass[], VARIADIC options text[] DEFAULT '{}')
RETURNS SETOF text
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', 'decoder_snapshot_sql';

COMMENT ON FUNCTION pub.decoder_snapshot_tables(regclass[], text[]) IS
'Every row of the tables, in the order given, as one Debezium snapshot (op "r"; first, last_in_data_collection, first_in_data_collection and last markers), one document per line, with the decoder''s options as name/value pairs';

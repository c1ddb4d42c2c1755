-- The decoder's snapshot reads (op "r"), as an initial snapshot emits them.
CREATE FUNCTION pub.decoder_snapshot(tables regclass[], VARIADIC options text[] DEFAULT '{}')
RETURNS SETOF text
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', 'decoder_snapshot_sql';

COMMENT ON FUNCTION pub.decoder_snapshot(regclass[], text[]) IS
'Every row of the tables, in the order given, as Debezium snapshot reads (op "r"), one document per line, with the decoder''s options given as name/value pairs like pg_logical_slot_get_changes';

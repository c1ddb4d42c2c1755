-- Snapshot reads (op "r") with the decoder's envelope, through
-- pub.decoder_snapshot() and pub.decoder_snapshot_tables(): before null, after the row, no transaction block,
-- same options as a slot, and Debezium's source.snapshot markers: "first",
-- "true", "last_in_data_collection", "first_in_data_collection", "last".
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
CREATE TABLE taps (id int PRIMARY KEY, beer text NOT NULL, price numeric(6,2));
CREATE TABLE kegs (id int PRIMARY KEY);
INSERT INTO taps VALUES (1, 'Stout', 5.20), (2, 'Lager', 4.80), (3, 'Ale', NULL);
INSERT INTO kegs VALUES (7), (8);
SELECT * FROM pub.decoder_snapshot('taps', 'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT d::json->>'topic' AS topic, d::json->'key' AS key,
       d::json->'value'->'source'->>'snapshot' AS snapshot,
       d::json->'value'->>'op' AS op, d::json->'value'->'transaction' AS transaction
  FROM pub.decoder_snapshot_tables('{taps,kegs}', 'schemas.enable', 'false', 'output', 'record',
                            'topic.prefix', 'bar', 'provide.transaction.metadata', 'true') AS d;
-- unmasked: one transaction, LSN and instant for the whole snapshot
SELECT count(DISTINCT d::json->'source'->>'ts_us') AS instants,
       (d::json->'source'->>'txId')::bigint > 0 AS has_txid,
       (d::json->'source'->>'lsn')::numeric > 0 AS has_lsn,
       d::json->'source'->>'sequence' LIKE '[null,"%"]' AS sequence_from_lsn
  FROM pub.decoder_snapshot_tables('{taps,kegs}', 'schemas.enable', 'false') AS d
 GROUP BY 2, 3, 4;
-- schemas on: the same envelope schema as streamed changes
SELECT (d::json)->'schema'->>'name' AS envelope
  FROM pub.decoder_snapshot('taps', 'mask.volatile', 'true') AS d LIMIT 1;
-- a single row is the last; an empty table has none; options are checked
DELETE FROM taps WHERE id > 1;
SELECT d::json->'source'->>'snapshot' AS snapshot
  FROM pub.decoder_snapshot('taps', 'schemas.enable', 'false') AS d;
TRUNCATE taps;
SELECT count(*) FROM pub.decoder_snapshot('taps');
SELECT count(*) FROM pub.decoder_snapshot('taps', 'output');
SELECT count(*) FROM pub.decoder_snapshot('taps', 'output', 'avro');
DROP TABLE taps, kegs;
DROP EXTENSION pub_backoffice CASCADE;

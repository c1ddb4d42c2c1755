-- Types outside the main mapping, as Debezium writes them: money as
-- Decimal(scale 2), bit strings as Bits, point as a Point struct with WKB,
-- xml and tsvector as named strings, name always null, xid and pg_lsn
-- columns left out; arrays of enums have non-optional items.
SET client_min_messages = warning;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE extras (id int PRIMARY KEY, m money, b bit(3), vb varbit, p point,
    x xml, ts tsvector, nm name, tx xid, l pg_lsn, moods mood[]);
SELECT 'init' FROM pg_create_logical_replication_slot('extra_slot', 'pub_backoffice');
INSERT INTO extras VALUES (1, 12.34, B'101', B'1101', '(1.5,2)', '<a>b</a>',
    'pint & ale', 'nm', '42', '0/16', '{ok,sad}');
INSERT INTO extras VALUES (2, -0.01, B'000', B'100000001', '(-1,0)', NULL, NULL, NULL, NULL, NULL, NULL);
SELECT (data::json)->'after' AS after
  FROM pg_logical_slot_peek_changes('extra_slot', NULL, NULL,
    'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT (data::json)->'after'->'m' AS m
  FROM unnest(ARRAY['double', 'string']) AS mode,
       LATERAL pg_logical_slot_peek_changes('extra_slot', NULL, NULL,
    'schemas.enable', 'false', 'mask.volatile', 'true', 'decimal.handling.mode', mode);
SELECT json_array_elements((data::json)->'schema'->'fields'->1->'fields') AS field
  FROM pg_logical_slot_get_changes('extra_slot', NULL, 1, 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('extra_slot');
DROP TABLE extras;
DROP TYPE mood;

-- The type mapping, one column per type, with a row of NULLs.
SET client_min_messages = warning;
CREATE TYPE mood AS ENUM ('sober', 'merry', 'legless');
CREATE DOMAIN pint AS smallint CHECK (VALUE > 0);
CREATE TABLE alltypes (
    id int PRIMARY KEY, b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
    t text, vc varchar(10), bp char(5), u uuid, j json, jb jsonb, m mood, p pint,
    ia int[], ta text[], iv interval, o oid);
SELECT 'init' FROM pg_create_logical_replication_slot('types_slot', 'pub_backoffice');
INSERT INTO alltypes VALUES (1, true, -32768, 2147483647, -9223372036854775808,
    1.5, 0.1, E'tab\there "quoted" \\ \u00e9', 'varchar', 'ab',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": 1, "a": "x"}',
    'merry', 2, '{1,NULL,3}', '{"x","y z"}', '1 year 2 mons 3 days 04:05:06.5', 42);
INSERT INTO alltypes (id) VALUES (2);
INSERT INTO alltypes (id, f4, f8, iv) VALUES (3, 'NaN', '-Infinity', '-1 day');
INSERT INTO alltypes (id, f4, f8) VALUES (4, 1e10, 1.25e-5);
INSERT INTO alltypes (id, f4, f8) VALUES (5, 100, 12345678.9);
SELECT data FROM pg_logical_slot_get_changes('types_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
-- the schema of each type (schemas on)
INSERT INTO alltypes (id) VALUES (6);
SELECT json_array_elements((data::json)->'schema'->'fields'->1->'fields') AS field
  FROM pg_logical_slot_get_changes('types_slot', NULL, NULL, 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('types_slot');
DROP TABLE alltypes;
DROP DOMAIN pint;
DROP TYPE mood;

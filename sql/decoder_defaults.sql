-- Column DEFAULTs appear in the field schemas as "default", rendered like a
-- value of the column; expressions (nextval, now()) as the type's zero; none
-- for bytea, arrays and unconstrained numeric.
SET client_min_messages = warning;
CREATE TYPE tap_state AS ENUM ('ok', 'empty');
CREATE TABLE kegs (
    id serial PRIMARY KEY, qty int DEFAULT 5, name text DEFAULT 'pint',
    price numeric(6,2) DEFAULT 4.5, ratio float8 DEFAULT 0.5, on_tap bool DEFAULT true,
    opened date DEFAULT '2024-01-01', cleaned timestamp DEFAULT '2024-01-01 12:00',
    filled timestamptz DEFAULT now(), state tap_state DEFAULT 'ok',
    tag uuid DEFAULT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', doc jsonb DEFAULT '{}',
    total bigint NOT NULL DEFAULT 0, free numeric DEFAULT 1.25, raw bytea DEFAULT '\x00',
    tags text[] DEFAULT '{}', note text DEFAULT NULL);
SELECT 'init' FROM pg_create_logical_replication_slot('defaults_slot', 'pub_backoffice');
INSERT INTO kegs DEFAULT VALUES;
SELECT json_array_elements((data::json)->'schema'->'fields'->1->'fields') AS field
  FROM pg_logical_slot_peek_changes('defaults_slot', NULL, NULL, 'mask.volatile', 'true');
SELECT data::json->'key'->'schema' AS key_schema
  FROM pg_logical_slot_peek_changes('defaults_slot', NULL, NULL, 'mask.volatile', 'true',
    'output', 'record');
-- in the other decimal and time modes
SELECT m, f->>'field' AS field, f->'default' AS "default"
  FROM unnest(ARRAY['decimal.handling.mode=double', 'decimal.handling.mode=string',
                    'time.precision.mode=connect']) AS m,
       LATERAL pg_logical_slot_peek_changes('defaults_slot', NULL, NULL, 'mask.volatile', 'true',
                split_part(m, '=', 1), split_part(m, '=', 2)) AS d,
       LATERAL json_array_elements((data::json)->'schema'->'fields'->1->'fields') AS f
 WHERE f->>'field' IN ('price', 'free', 'cleaned');
-- a column added with a default shows it from the next event on
ALTER TABLE kegs ADD COLUMN extra text DEFAULT 'n/a';
INSERT INTO kegs DEFAULT VALUES;
SELECT (data::json)->'schema'->'fields'->1->'fields'->-1 AS last_field
  FROM pg_logical_slot_get_changes('defaults_slot', NULL, NULL, 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('defaults_slot');
DROP TABLE kegs;
DROP TYPE tap_state;

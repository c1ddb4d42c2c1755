-- numeric(p,s) as Kafka Decimal bytes, numeric without typmod as
-- VariableScaleDecimal, NaN and infinities, in each decimal.handling.mode.
SET client_min_messages = warning;
CREATE TABLE prices (id int PRIMARY KEY, fixed numeric(10,2), free numeric);
SELECT 'init' FROM pg_create_logical_replication_slot('numeric_slot', 'pub_backoffice');
INSERT INTO prices VALUES (1, 4.50, 4.5), (2, -0.01, -123456789012345678901234567890.123),
    (3, 0, 0), (4, 12345678.99, 1e-20), (5, 128, 128), (6, -128, -129),
    (7, NULL, NULL), (8, 'NaN', 'NaN'), (9, NULL, 'Infinity'), (10, NULL, '-Infinity');
SELECT data FROM pg_logical_slot_peek_changes('numeric_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT data FROM pg_logical_slot_peek_changes('numeric_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'decimal.handling.mode', 'double');
SELECT data FROM pg_logical_slot_peek_changes('numeric_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'decimal.handling.mode', 'string');
-- the field schemas in each mode
SELECT m, json_array_elements((data::json)->'schema'->'fields'->1->'fields') AS field
  FROM unnest(ARRAY['precise', 'double', 'string']) AS m,
       LATERAL (SELECT data FROM pg_logical_slot_peek_changes('numeric_slot', NULL, 1,
                'mask.volatile', 'true', 'decimal.handling.mode', m) LIMIT 1) AS d;
SELECT pg_drop_replication_slot('numeric_slot');
DROP TABLE prices;

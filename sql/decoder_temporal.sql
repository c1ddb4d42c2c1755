-- Dates and times in each time.precision.mode; timestamptz in UTC with Z
-- whatever the session time zone; infinite timestamps.
SET client_min_messages = warning;
SET timezone = 'Europe/Dublin';
CREATE TABLE times (id int PRIMARY KEY, d date, t time, t3 time(3), tz timetz,
    ts timestamp, ts3 timestamp(3), tstz timestamptz, tstz0 timestamptz(0));
SELECT 'init' FROM pg_create_logical_replication_slot('temporal_slot', 'pub_backoffice');
INSERT INTO times VALUES (1, '2024-03-31', '23:59:59.123456', '12:00:00.5', '10:15:30.25+02',
    '2024-03-31 01:30:00.654321', '1969-12-31 23:59:59.999', '2024-07-01 12:00:00.5',
    '2024-07-01 12:00:00');
INSERT INTO times VALUES (2, '1900-01-01', '00:00', '00:00', '00:00+00',
    'infinity', '-infinity', 'infinity', '-infinity');
INSERT INTO times (id) VALUES (3);
SELECT data FROM pg_logical_slot_peek_changes('temporal_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT data FROM pg_logical_slot_peek_changes('temporal_slot', NULL, 1, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'time.precision.mode', 'adaptive_time_microseconds');
SELECT data FROM pg_logical_slot_peek_changes('temporal_slot', NULL, 1, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'time.precision.mode', 'connect');
-- logical type names per mode
SELECT m, json_array_elements((data::json)->'schema'->'fields'->1->'fields') AS field
  FROM unnest(ARRAY['adaptive', 'adaptive_time_microseconds', 'connect']) AS m,
       LATERAL (SELECT data FROM pg_logical_slot_peek_changes('temporal_slot', NULL, 1,
                'mask.volatile', 'true', 'time.precision.mode', m) LIMIT 1) AS d;
SELECT pg_drop_replication_slot('temporal_slot');
DROP TABLE times;

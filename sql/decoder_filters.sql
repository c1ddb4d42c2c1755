-- table.include.list / table.exclude.list (anchored regular expressions on
-- schema.table, case-insensitive) and skipped.operations.
SET client_min_messages = warning;
CREATE TABLE beer (id int PRIMARY KEY);
CREATE TABLE beer_log (id int PRIMARY KEY);
CREATE TABLE wine (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('filters_slot', 'pub_backoffice');
INSERT INTO beer VALUES (1);
INSERT INTO beer_log VALUES (1);
INSERT INTO wine VALUES (1);
UPDATE beer SET id = id;
DELETE FROM beer;
SELECT 'include beer' AS f, string_agg((data::json)->'source'->>'table', ',')
  FROM pg_logical_slot_peek_changes('filters_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'table.include.list', 'public.beer');
SELECT 'include PUBLIC.BEER.*, public.wine' AS f, string_agg((data::json)->'source'->>'table', ',')
  FROM pg_logical_slot_peek_changes('filters_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'table.include.list', 'PUBLIC.BEER.*, public.wine');
SELECT 'exclude .*_log' AS f, string_agg((data::json)->'source'->>'table', ',')
  FROM pg_logical_slot_peek_changes('filters_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'table.exclude.list', '.*_log');
SELECT 'skip c,d' AS f, string_agg((data::json)->>'op', ',')
  FROM pg_logical_slot_peek_changes('filters_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'skipped.operations', 'c,d');
SELECT 'skip u' AS f, string_agg((data::json)->>'op', ',')
  FROM pg_logical_slot_peek_changes('filters_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true',
    'skipped.operations', 'u');
SELECT pg_drop_replication_slot('filters_slot');
DROP TABLE beer, beer_log, wine;

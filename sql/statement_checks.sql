-- Statements writing pub's tables take their CHECK expressions from the
-- backend's cache (src/backoffice/statement_checks.c) instead of parsing
-- them in every statement.  Every check still holds, and a change to a
-- check, to its table or to a function it calls counts from the next
-- statement on, as when PostgreSQL parses them itself.
\set VERBOSITY terse
SET client_min_messages = warning;   -- the DROP EXTENSION IF EXISTS notices depend on the tests before
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
LOAD 'pub_backoffice';               -- the hook, whether or not the server preloads the library
CREATE FUNCTION pub.probe_ok(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t <> 'bad' $$;
CREATE TABLE pub.check_probe (id int PRIMARY KEY, n int CHECK (n > 0), s text CONSTRAINT probe_s CHECK (pub.probe_ok(s)));
INSERT INTO pub.check_probe VALUES (1, 1, 'good');
INSERT INTO pub.check_probe VALUES (2, 0, 'good');                  -- n > 0
INSERT INTO pub.check_probe VALUES (3, 1, 'bad');                   -- probe_s
-- A check added, then dropped.
ALTER TABLE pub.check_probe ADD CONSTRAINT probe_small CHECK (n < 100);
INSERT INTO pub.check_probe VALUES (4, 100, 'good');                -- probe_small
ALTER TABLE pub.check_probe DROP CONSTRAINT probe_small;
INSERT INTO pub.check_probe VALUES (4, 100, 'good');
-- The planner inlines the SQL function: its new body counts at once.
CREATE OR REPLACE FUNCTION pub.probe_ok(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t <> 'worse' $$;
INSERT INTO pub.check_probe VALUES (5, 1, 'bad');
INSERT INTO pub.check_probe VALUES (6, 1, 'worse');                 -- probe_s
-- ANALYZE (a relcache invalidation) between two statements of a transaction.
BEGIN;
INSERT INTO pub.check_probe VALUES (7, 7, 'good');
ANALYZE pub.check_probe;
INSERT INTO pub.check_probe VALUES (8, 8, 'good');
COMMIT;
-- UPDATE, multi-row INSERT and an INSERT inside a function.
UPDATE pub.check_probe SET n = -1 WHERE id = 1;                     -- n > 0
INSERT INTO pub.check_probe VALUES (9, 9, 'good'), (10, -10, 'good');   -- n > 0, nothing inserted
DO $$ BEGIN INSERT INTO pub.check_probe VALUES (11, 11, 'worse'); END $$;   -- probe_s
SELECT id, n, s FROM pub.check_probe ORDER BY id;
DROP TABLE pub.check_probe;
DROP FUNCTION pub.probe_ok(text);

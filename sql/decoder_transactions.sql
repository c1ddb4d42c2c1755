-- Savepoints and rolled-back subtransactions, empty transactions, rolled
-- back transactions.
SET client_min_messages = warning;
CREATE TABLE rounds (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('txn_slot', 'pub_backoffice');
BEGIN;
INSERT INTO rounds VALUES (1);
SAVEPOINT a;
INSERT INTO rounds VALUES (2);
ROLLBACK TO SAVEPOINT a;
SAVEPOINT b;
INSERT INTO rounds VALUES (3);
RELEASE SAVEPOINT b;
COMMIT;
BEGIN;
COMMIT;
BEGIN;
INSERT INTO rounds VALUES (4);
ROLLBACK;
SELECT (data::json)->>'op' AS op, (data::json)->'after' AS after
  FROM pg_logical_slot_get_changes('txn_slot', NULL, NULL, 'schemas.enable', 'false', 'mask.volatile', 'true');
SELECT pg_drop_replication_slot('txn_slot');
DROP TABLE rounds;

-- source.sequence is ["<end of the last commit with changes>","<lsn>"]:
-- null before the first commit; transactions that pgoutput would skip
-- (DDL only) do not count; a non-transactional message counts as a commit
-- at its own lsn, even when message.prefix.exclude.list leaves it out.
-- test_decoding's COMMIT rows give the commit end LSNs.
SET client_min_messages = warning;
CREATE TABLE rounds (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('sequence_slot', 'pub_backoffice');
SELECT 'init' FROM pg_create_logical_replication_slot('sequence_td', 'test_decoding');
INSERT INTO rounds VALUES (1);
INSERT INTO rounds VALUES (2);
CREATE TABLE ddl_only (id int);
INSERT INTO rounds VALUES (3);
SELECT 'sent' FROM pg_logical_emit_message(false, 'till', 'x');
INSERT INTO rounds VALUES (4);
SELECT (pg_logical_emit_message(false, 'audit', 'y') - '0/0')::text AS audit_lsn \gset
INSERT INTO rounds VALUES (5);
SELECT array_agg((lsn - '0/0')::text ORDER BY lsn) AS commits
  FROM pg_logical_slot_get_changes('sequence_td', NULL, NULL, 'skip-empty-xacts', '0')
 WHERE data LIKE 'COMMIT%' \gset
-- commits: 1 = first insert, 2 = second, 3 = the DDL, 4 = third insert
WITH e AS (
  SELECT row_number() OVER () AS n, (data::json)->'source' AS src
    FROM pg_logical_slot_get_changes('sequence_slot', NULL, NULL, 'schemas.enable', 'false',
                                      'message.prefix.exclude.list', 'audit'))
SELECT n, coalesce(nullif(src->>'table', ''), 'message') AS event,
       (src->>'sequence')::json->>0 = :'audit_lsn' AS last_commit_is_excluded_message,
       array_position(:'commits'::text[], (src->>'sequence')::json->>0) AS last_commit_no,
       (src->>'sequence')::json->>0 = lag(src->>'lsn') OVER (ORDER BY n)
           AS last_commit_is_previous_message,
       (src->>'sequence')::json->>0 = src->>'lsn' AS first_is_own_lsn,
       (src->>'sequence')::json->>1 = src->>'lsn' AS second_is_lsn,
       src->>'txId' IS NULL AS no_txid
  FROM e ORDER BY n;
SELECT pg_drop_replication_slot('sequence_slot');
SELECT pg_drop_replication_slot('sequence_td');
DROP TABLE rounds, ddl_only;

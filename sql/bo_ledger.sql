-- The ledger: chart of accounts per venue, balanced append-only entries,
-- reversals, idempotency keys and closed periods.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql

INSERT INTO pub.venue (name, country, currency, vat_number, time_zone)
VALUES ('Ledger Arms', 'IE', 'EUR', 'IE9999999L', 'Europe/Dublin') RETURNING id AS v \gset

-- A new venue gets the default chart of accounts.
SELECT code, name, type, role, category FROM pub.account WHERE venue_id = :v ORDER BY code;

-- A manual journal: the owner pays 1,000.00 into the bank.
SELECT pub.post_journal(:v, '2026-06-01', 'owner capital', 'cap-1',
    '[{"account": "1100", "debit": 1000.00}, {"account": "3000", "credit": 1000.00}]') AS e1 \gset
-- The same key again is a no-op returning the same entry.
SELECT pub.post_journal(:v, '2026-06-01', 'owner capital', 'cap-1',
    '[{"account": "1100", "debit": 1000.00}, {"account": "3000", "credit": 1000.00}]') = :e1 AS same_entry;
SELECT count(*) AS entries FROM pub.journal_entry WHERE venue_id = :v;

-- Bad manual journals: unbalanced, unknown account, a third decimal.
SELECT pg_temp.try(format('SELECT pub.post_journal(%s, %L, %L, %L, %L)', :v, '2026-06-02', 'bad', 'bad-1',
    '[{"account": "6900", "debit": 10.00}, {"account": "1100", "credit": 9.99}]'));
SELECT pg_temp.try(format('SELECT pub.post_journal(%s, %L, %L, %L, %L)', :v, '2026-06-02', 'bad', 'bad-2',
    '[{"account": "6999", "debit": 10.00}, {"account": "1100", "credit": 10.00}]'));
SELECT pg_temp.try(format('SELECT pub.post_journal(%s, %L, %L, %L, %L)', :v, '2026-06-02', 'bad', 'bad-3',
    '[{"account": "6900", "debit": 10.005}, {"account": "1100", "credit": 10.005}]'));
SELECT count(*) AS entries_after_bad FROM pub.journal_entry WHERE venue_id = :v;

-- The database, not the caller, enforces balance: a direct unbalanced entry
-- fails at commit and leaves nothing behind.
BEGIN;
INSERT INTO pub.journal_entry (venue_id, entry_date, source, idempotency_key)
VALUES (:v, '2026-06-03', 'manual', 'direct-1') RETURNING id AS d1 \gset
INSERT INTO pub.journal_line (entry_id, venue_id, account_id, debit)
VALUES (:d1, :v, pub.account_for(:v, 'expense'), 5.00);
COMMIT;
SELECT count(*) AS direct_entries FROM pub.journal_entry WHERE idempotency_key = 'direct-1';

-- Append-only: no UPDATE, DELETE or TRUNCATE.
UPDATE pub.journal_line SET debit = 1 WHERE entry_id = :e1;
DELETE FROM pub.journal_entry WHERE id = :e1;
TRUNCATE pub.journal_line;
-- Lines cannot be added to a committed entry.
INSERT INTO pub.journal_line (entry_id, venue_id, account_id, debit, credit)
SELECT :e1, :v, pub.account_for(:v, 'bank'), 1, 0;

-- A reversal mirrors the entry, once.
SELECT pub.reverse_entry(:e1, '2026-06-05', 'posted to the wrong venue') AS r1 \gset
SELECT pub.reverse_entry(:e1, '2026-06-05') = :r1 AS same_reversal;
SELECT a.code, l.debit, l.credit FROM pub.journal_line l JOIN pub.account a ON a.id = l.account_id
 WHERE l.entry_id = :r1 ORDER BY a.code;
SELECT source, memo, reverses_entry_id = :e1 AS reverses FROM pub.journal_entry WHERE id = :r1;

-- A closed period refuses postings; the next period is open.
SELECT pub.close_period(:v, '2026-06-01', '2026-06-30') IS NOT NULL AS closed;
SELECT pg_temp.try(format('SELECT pub.post_journal(%s, %L, %L, %L, %L)', :v, '2026-06-30', 'late', 'late-1',
    '[{"account": "6900", "debit": 10.00}, {"account": "1100", "credit": 10.00}]'));
SELECT pub.post_journal(:v, '2026-07-01', 'in July', 'july-1',
    '[{"account": "6900", "debit": 10.00}, {"account": "1100", "credit": 10.00}]') IS NOT NULL AS posted;
-- A closed period cannot be reopened.
DELETE FROM pub.accounting_period WHERE venue_id = :v;

-- Every entry balances.
SELECT e.idempotency_key, sum(l.debit) AS debits, sum(l.credit) AS credits
  FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id
 WHERE e.venue_id = :v GROUP BY e.id, e.idempotency_key ORDER BY e.id;

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

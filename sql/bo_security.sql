-- Security: as each role of venue A, venue B's rows are invisible and every
-- write to them is refused; no role writes the ledger or the stock log.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Venue A'
\i sql/include/bo_pub_ie.psql
\set a :v
\set a_guinness :guinness
\set venue_name 'Venue B'
\i sql/include/bo_pub_ie.psql
\set b :v
\set b_guinness :guinness
INSERT INTO pub.supplier (venue_id, name) VALUES (:b, 'B supplier') RETURNING id AS b_supplier \gset
SELECT pub.record_sale(jsonb_build_object('venue_id', :b, 'idempotency_key', 'B-1', 'sold_at', '2026-06-10 20:00+01',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :b_guinness, 'quantity', 1)))) ->> 'gross' AS b_sale;

SET client_min_messages = warning;
DROP ROLE IF EXISTS bo_test_till_a, bo_test_manager_a, bo_test_accountant_a;
RESET client_min_messages;
CREATE ROLE bo_test_till_a IN ROLE pub_till;
CREATE ROLE bo_test_manager_a IN ROLE pub_manager;
CREATE ROLE bo_test_accountant_a IN ROLE pub_accountant;
INSERT INTO pub.venue_member (venue_id, member)
VALUES (:a, 'bo_test_till_a'), (:a, 'bo_test_manager_a'), (:a, 'bo_test_accountant_a');
SELECT min(id) AS b_entry FROM pub.journal_entry WHERE venue_id = :b \gset

-- What each role sees: rows of venue A only.
CREATE FUNCTION pg_temp.visible() RETURNS TABLE (tbl text, venues text) LANGUAGE plpgsql AS $$
DECLARE
    t text; r text;
BEGIN
    FOREACH t IN ARRAY ARRAY['venue', 'product', 'stock_item', 'sale', 'sale_line', 'journal_entry', 'journal_line',
                             'stock_movement', 'stock_level', 'outbox', 'account'] LOOP
        BEGIN
            EXECUTE format('SELECT string_agg(DISTINCT v.name, %L ORDER BY v.name) FROM pub.%I x JOIN pub.venue v ON v.id = x.%s',
                           ', ', t, CASE t WHEN 'venue' THEN 'id' ELSE 'venue_id' END) INTO r;
            tbl := t; venues := coalesce(r, '(none)');
        EXCEPTION WHEN insufficient_privilege THEN
            tbl := t; venues := 'permission denied';
        END;
        RETURN NEXT;
    END LOOP;
END $$;

SET ROLE bo_test_till_a;
SELECT * FROM pg_temp.visible();
-- The till records a sale in A, by INSERTs and by record_sale.
BEGIN;
INSERT INTO pub.sale (venue_id, idempotency_key, sold_at) VALUES (:a, 'A-1', '2026-06-10 20:00+01') RETURNING id AS a1 \gset
INSERT INTO pub.sale_line VALUES (:a1, 1, :a, :a_guinness, 1, 5.60);
INSERT INTO pub.sale_payment VALUES (:a1, 'cash', :a, 5.60);
COMMIT;
SELECT pub.record_sale(jsonb_build_object('venue_id', :a, 'idempotency_key', 'A-2', 'sold_at', '2026-06-10 20:01+01',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :a_guinness, 'quantity', 1)))) ->> 'gross' AS a_sale;
-- ... but not in B, and it cannot sell B's products.
SELECT pg_temp.try(format('INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (%s, %L)', :b, 'X-1'));
SELECT pg_temp.try(format('SELECT pub.record_sale(%L)', jsonb_build_object('venue_id', :b, 'idempotency_key', 'X-2',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :b_guinness, 'quantity', 1)))));
SELECT pg_temp.try(format('SELECT pub.record_sale(%L)', jsonb_build_object('venue_id', :a, 'idempotency_key', 'X-3',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :b_guinness, 'quantity', 1)))));
-- A till cannot touch the ledger, the stock log, the catalogue or purchasing.
SELECT pg_temp.try(format('INSERT INTO pub.journal_entry (venue_id, entry_date, source, idempotency_key) VALUES (%s, %L, %L, %L)',
    :a, '2026-06-10', 'manual', 'X'));
SELECT pg_temp.try(format('INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, moved_on) VALUES (%s, 1, %L, 1, 0, %L)',
    :a, 'opening', '2026-06-10'));
SELECT pg_temp.try('UPDATE pub.product SET price = 0.01');
SELECT pg_temp.try('SELECT pub.post_sale(1)');
SELECT pg_temp.try(format('SELECT pub.close_period(%s, %L, %L)', :a, '2026-01-01', '2026-01-31'));
RESET ROLE;

SET ROLE bo_test_manager_a;
SELECT * FROM pg_temp.visible();
-- Updates and deletes of B's rows find nothing; inserts for B are refused.
UPDATE pub.product SET price = 0.01 WHERE venue_id = :b;
UPDATE pub.stock_item SET par_level = 0 WHERE venue_id = :b;
SELECT pg_temp.try(format('INSERT INTO pub.product (venue_id, name, category, price) VALUES (%s, %L, %L, 1)', :b, 'Fake', 'other'));
SELECT pg_temp.try(format('SELECT pub.book_invoice(%L)', jsonb_build_object('venue_id', :b, 'supplier_id', :b_supplier,
    'number', 'X', 'issue_date', '2026-06-10', 'lines', jsonb_build_array(jsonb_build_object('stock_item_id', 1, 'quantity', 1, 'net_amount', 1, 'vat_rate', 23)))));
SELECT pg_temp.try(format('SELECT pub.record_wastage(%s, (SELECT id FROM pub.stock_item WHERE venue_id = %s LIMIT 1), 1, %L, %L)', :b, :b, '2026-06-10', 'x'));
SELECT pg_temp.try(format('INSERT INTO pub.journal_line (entry_id, venue_id, account_id, debit) VALUES (1, %s, 1, 1)', :a));
SELECT pg_temp.try('DELETE FROM pub.journal_line');
SELECT pg_temp.try(format('SELECT pub.post_journal(%s, %L, %L, %L, %L)', :a, '2026-06-10', 'x', 'x',
    '[{"account": "6900", "debit": 1}, {"account": "1100", "credit": 1}]'));
-- Reports of B show nothing of B.
SELECT * FROM pub.trial_balance(:b, '2026-12-31');
SELECT count(*) AS b_stock_rows FROM pub.stock_valuation(:b);
-- The manager's own venue works.
SELECT pub.record_wastage(:a, (SELECT id FROM pub.stock_item WHERE venue_id = :a AND sku = 'GUIN50'), 500, '2026-06-11', 'spill') IS NOT NULL AS wasted;
RESET ROLE;

SET ROLE bo_test_accountant_a;
SELECT * FROM pg_temp.visible();
SELECT pg_temp.try(format('SELECT pub.close_period(%s, %L, %L)', :b, '2026-01-01', '2026-01-31'));
SELECT pg_temp.try(format('SELECT pub.post_journal(%s, %L, %L, %L, %L)', :b, '2026-06-10', 'x', 'x',
    '[{"account": "6900", "debit": 1}, {"account": "1100", "credit": 1}]'));
SELECT pg_temp.try(format('SELECT pub.reverse_entry(%s, %L)', :b_entry, '2026-06-11'));
SELECT pg_temp.try(format('INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (%s, %L)', :a, 'ACC-1'));
-- In A the accountant closes periods and posts journals.
SELECT pub.close_period(:a, '2026-01-01', '2026-01-31') IS NOT NULL AS closed_a;
SELECT pub.post_journal(:a, '2026-06-10', 'bank fee', 'fee-1',
    '[{"account": "6900", "debit": 2.50}, {"account": "1100", "credit": 2.50}]') IS NOT NULL AS journal_a;
SELECT * FROM pub.trial_balance(:a, '2026-12-31') WHERE account_code IN ('1000', '6900', 'TOTAL');
RESET ROLE;

-- As the owner: B is untouched (one sale, its price unchanged, no period closed).
SELECT (SELECT count(*) FROM pub.sale WHERE venue_id = :b) AS b_sales,
       (SELECT price FROM pub.product WHERE id = :b_guinness) AS b_price,
       (SELECT count(*) FROM pub.accounting_period WHERE venue_id = :b) AS b_periods,
       (SELECT count(*) FROM pub.journal_entry WHERE venue_id = :b) AS b_entries;

DROP OWNED BY bo_test_till_a, bo_test_manager_a, bo_test_accountant_a;
DROP ROLE bo_test_till_a, bo_test_manager_a, bo_test_accountant_a;

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

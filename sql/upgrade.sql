-- Upgrading 1.0 (back office, decoder, relay) to 1.1 (documents in),
-- 1.2 (the sale posting in C), 1.3 (a sale's total from its lines'
-- rounded amounts) and 1.4 (tips in the Z report) keeps the data and adds
-- the new functions; the default version installed directly is the same.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice VERSION '1.0';
\set VERBOSITY terse
\set venue_name 'Upgrade Arms'
\i sql/include/bo_pub_ie.psql
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'before-update',
    'sold_at', '2026-07-10 21:00+01', 'lines', jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 2)),
    'payments', jsonb_build_array(jsonb_build_object('method', 'card', 'amount', 11.20)))) ->> 'gross' AS gross_1_0;
SELECT count(*) AS import_till_csv_in_1_0 FROM pg_proc WHERE proname = 'import_till_csv';

ALTER EXTENSION pub_backoffice UPDATE TO '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'pub_backoffice';

-- The data of 1.0 is untouched: the sale, its stock movement and a balanced ledger.
SELECT s.idempotency_key, sum(l.quantity) AS pints
  FROM pub.sale s JOIN pub.sale_line l ON l.sale_id = s.id WHERE s.venue_id = :v GROUP BY 1;
SELECT i.sku, l.quantity FROM pub.stock_level l JOIN pub.stock_item i ON i.id = l.stock_item_id
 WHERE i.venue_id = :v AND i.sku = 'GUIN50';
SELECT sum(debit) = sum(credit) AS balanced FROM pub.journal_line l JOIN pub.journal_entry e ON e.id = l.entry_id
 WHERE e.venue_id = :v;

-- 1.1's functions work on 1.0's rows: a till export for the same venue.
SELECT pub.map_pos_product(:v, 'csv', 'GUIN-PINT', :guinness);
SELECT pub.import_till_csv(:v, E'product_code,quantity,gross_amount,sold_at,payment_method\nGUIN-PINT,1,5.60,2026-07-10 22:00,cash')
       - 'file_hash' AS imported_after_update;
SELECT count(*) AS sales FROM pub.sale WHERE venue_id = :v;

-- 1.2 posts sales in C: a sale after the update posts as before (stock,
-- a balanced entry, its event), on top of the sales of 1.0 and 1.1.
ALTER EXTENSION pub_backoffice UPDATE TO '1.2';
SELECT extversion FROM pg_extension WHERE extname = 'pub_backoffice';
SELECT p.proname, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'pub'::regnamespace AND p.proname IN ('post_sale', 'sale_post_trigger') ORDER BY 1;
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'after-1.2',
    'sold_at', '2026-07-11 21:00+01', 'lines', jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 3)),
    'payments', jsonb_build_array(jsonb_build_object('method', 'card', 'amount', 16.80)))) ->> 'gross' AS gross_1_2;
SELECT i.sku, l.quantity, l.quantity = (SELECT sum(m.quantity) FROM pub.stock_movement m WHERE m.stock_item_id = i.id) AS equals_log
  FROM pub.stock_level l JOIN pub.stock_item i ON i.id = l.stock_item_id WHERE i.venue_id = :v AND i.sku = 'GUIN50';
SELECT e.idempotency_key, sum(l.debit) AS debits, sum(l.credit) AS credits
  FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id
 WHERE e.venue_id = :v AND e.source = 'sale' GROUP BY e.id, e.idempotency_key ORDER BY e.id;
SELECT payload->>'idempotency_key' AS sale_recorded FROM pub.outbox WHERE type = 'SaleRecorded' AND venue_id = :v ORDER BY 1;

-- 1.3: a sale's total is the sum of its lines' amounts, each rounded to the
-- cent, in record_sale as in the posting: 1.25 × 4.43 = 5.5375 -> 5.54 and
-- 0.5 × 4.45 = 2.225 -> 2.23 make 7.77 (1.2's record_sale took 7.76, whose
-- entry could not balance).
ALTER EXTENSION pub_backoffice UPDATE TO '1.3';
SELECT extversion FROM pg_extension WHERE extname = 'pub_backoffice';
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'after-1.3',
    'sold_at', '2026-07-12 21:00+01', 'lines', jsonb_build_array(
        jsonb_build_object('product_id', :guinness, 'quantity', 1.25, 'unit_price', 4.43),
        jsonb_build_object('product_id', :chips, 'quantity', 0.5, 'unit_price', 4.45)))) ->> 'gross' AS gross_1_3;
SELECT sum(l.debit) FILTER (WHERE a.role IN ('cash', 'card')) AS paid, sum(l.debit) = sum(l.credit) AS balanced
  FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.idempotency_key = 'sale:' || (SELECT id FROM pub.sale WHERE idempotency_key = 'after-1.3');

-- 1.4: the Z report shows the tips by payment method beside the takings, and
-- what was collected.  A Square order's 1.00 card tip booked under 1.3 shows
-- after the update; the report is still for managers and the accountant
-- only (the update drops and creates it), commented, with its search_path.
SELECT pub.map_pos_product(:v, 'square', 'SQ-PINT', :guinness);
SELECT pub.ingest_square_order(:v, '{"id": "ORD-UPGRADE", "state": "COMPLETED", "version": 1, "closed_at": "2026-07-12T21:30:00Z",
  "line_items": [{"uid": "p", "catalog_object_id": "SQ-PINT", "quantity": "1", "total_money": {"amount": 560, "currency": "EUR"},
     "total_tax_money": {"amount": 105, "currency": "EUR"}, "applied_taxes": [{"tax_uid": "t23"}]}],
  "taxes": [{"uid": "t23", "percentage": "23", "type": "INCLUSIVE", "scope": "LINE_ITEM"}],
  "tenders": [{"id": "T", "type": "CARD", "amount_money": {"amount": 660, "currency": "EUR"},
               "tip_money": {"amount": 100, "currency": "EUR"}}]}') ->> 'tip' AS tip_1_3;
SELECT * FROM pub.z_report(:v, '2026-07-12');
ALTER EXTENSION pub_backoffice UPDATE TO '1.4';
SELECT extversion FROM pg_extension WHERE extname = 'pub_backoffice';
SELECT * FROM pub.z_report(:v, '2026-07-12');
SELECT r AS role, has_function_privilege(r, 'pub.z_report(bigint, date)', 'EXECUTE') AS may_run
  FROM unnest(ARRAY['public', 'pub_till', 'pub_manager', 'pub_accountant']) r;
SELECT obj_description('pub.z_report(bigint, date)'::regprocedure, 'pg_proc') LIKE 'Z report%' AS commented,
       p.proconfig, p.prosecdef, p.provolatile FROM pg_proc p WHERE p.oid = 'pub.z_report(bigint, date)'::regprocedure;

-- Every object the update created belongs to the extension, as on a new install.
SELECT count(*) AS objects_outside_extension
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'pub'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e');
DROP EXTENSION pub_backoffice CASCADE;

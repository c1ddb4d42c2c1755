-- Purchasing: invoices book stock in at cost, update the weighted average
-- cost, record input VAT and a payable; credit notes reverse; payments clear.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Purchasing Arms'
\i sql/include/bo_pub_ie.psql
INSERT INTO pub.supplier (venue_id, name, vat_number) VALUES (:v, 'Diageo Ireland', 'IE8Y12345X') RETURNING id AS sup \gset
INSERT INTO pub.supplier_item_code (venue_id, supplier_id, code, stock_item_id)
SELECT :v, :sup, 'DG-GUIN-50', id FROM pub.stock_item WHERE venue_id = :v AND sku = 'GUIN50';

-- Invoice INV-100 on 10 June: 2 kegs at 190.00 (net 380.00) and 2 bottles of gin
-- at 24.50 (net 49.00), all at 23%: VAT round(429.00 × 0.23) = 98.67, gross 527.67.
SELECT pub.book_invoice(jsonb_build_object('venue_id', :v, 'supplier_id', :sup, 'number', 'INV-100',
    'issue_date', '2026-06-10', 'lines', jsonb_build_array(
        jsonb_build_object('supplier_code', 'DG-GUIN-50', 'quantity', 2, 'net_amount', 380.00, 'vat_rate', 23),
        jsonb_build_object('stock_item_id', (SELECT id FROM pub.stock_item WHERE venue_id = :v AND sku = 'GIN70'),
                           'quantity', 2, 'net_amount', 49.00, 'vat_rate', 23)))) - 'invoice_id' AS booked;
SELECT a.code, a.name, l.debit, l.credit, l.vat_rate FROM pub.journal_entry e
  JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.venue_id = :v AND e.source = 'invoice' ORDER BY a.code;
-- Weighted average: keg 100,000 ml at 0.0035 (350.00) + 100,000 ml at 0.0038 (380.00)
--   = 730.00 / 200,000 ml = 0.00365/ml.  Gin 7,000 ml at 0.03 (210.00) + 1,400 ml at 0.035 (49.00)
--   = 259.00 / 8,400 ml = 0.0308333/ml.
SELECT i.sku, l.quantity, round(l.avg_cost, 7) AS avg_cost FROM pub.stock_level l
  JOIN pub.stock_item i ON i.id = l.stock_item_id WHERE i.venue_id = :v AND i.sku IN ('GUIN50', 'GIN70') ORDER BY i.sku;

-- The identical document again is a no-op; different content under the number is an error.
SELECT pub.book_invoice(jsonb_build_object('venue_id', :v, 'supplier_id', :sup, 'number', 'INV-100',
    'issue_date', '2026-06-10', 'lines', jsonb_build_array(
        jsonb_build_object('supplier_code', 'DG-GUIN-50', 'quantity', 2, 'net_amount', 380.00, 'vat_rate', 23),
        jsonb_build_object('stock_item_id', (SELECT id FROM pub.stock_item WHERE venue_id = :v AND sku = 'GIN70'),
                           'quantity', 2, 'net_amount', 49.00, 'vat_rate', 23)))) ->> 'duplicate' AS duplicate;
SELECT pg_temp.try(format('SELECT pub.book_invoice(%L)', jsonb_build_object('venue_id', :v, 'supplier_id', :sup,
    'number', 'INV-100', 'issue_date', '2026-06-10', 'lines', jsonb_build_array(
        jsonb_build_object('supplier_code', 'DG-GUIN-50', 'quantity', 3, 'net_amount', 570.00, 'vat_rate', 23)))));
-- A plain INSERT of a duplicate number is refused by the unique key.
SELECT pg_temp.try(format('INSERT INTO pub.purchase_invoice (venue_id, supplier_id, number, issue_date, currency) VALUES (%s, %s, %L, %L, %L)',
    :v, :sup, 'INV-100', '2026-06-11', 'EUR'));
-- Bad lines: unknown item code, a third decimal, a VAT rate not in force.
SELECT pg_temp.try(format('SELECT pub.book_invoice(%L)', jsonb_build_object('venue_id', :v, 'supplier_id', :sup,
    'number', 'INV-101', 'issue_date', '2026-06-11', 'lines', jsonb_build_array(
        jsonb_build_object('supplier_code', 'NOPE', 'quantity', 1, 'net_amount', 10, 'vat_rate', 23)))));
SELECT pg_temp.try(format('SELECT pub.book_invoice(%L)', jsonb_build_object('venue_id', :v, 'supplier_id', :sup,
    'number', 'INV-102', 'issue_date', '2026-06-11', 'lines', jsonb_build_array(
        jsonb_build_object('supplier_code', 'DG-GUIN-50', 'quantity', 1, 'net_amount', 10.001, 'vat_rate', 23)))));
SELECT pg_temp.try(format('SELECT pub.book_invoice(%L)', jsonb_build_object('venue_id', :v, 'supplier_id', :sup,
    'number', 'INV-103', 'issue_date', '2026-06-11', 'lines', jsonb_build_array(
        jsonb_build_object('supplier_code', 'DG-GUIN-50', 'quantity', 1, 'net_amount', 10.00, 'vat_rate', 21)))));
SELECT count(*) AS invoices FROM pub.purchase_invoice WHERE venue_id = :v;

-- Credit note CN-7 on 12 June: one keg returned (net 190.00, VAT 43.70).
-- Average after: (200,000 × 0.00365 - 190.00) / 150,000 = 540.00 / 150,000 = 0.0036/ml.
SELECT pub.book_invoice(jsonb_build_object('venue_id', :v, 'supplier_id', :sup, 'number', 'CN-7', 'kind', 'credit_note',
    'credited_number', 'INV-100', 'issue_date', '2026-06-12', 'lines', jsonb_build_array(
        jsonb_build_object('supplier_code', 'DG-GUIN-50', 'quantity', 1, 'net_amount', 190.00, 'vat_rate', 23)))) ->> 'duplicate' AS duplicate;
SELECT a.code, l.debit, l.credit FROM pub.journal_entry e
  JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.venue_id = :v AND e.source = 'credit_note' ORDER BY a.code;
SELECT l.quantity, round(l.avg_cost, 7) AS avg_cost FROM pub.stock_level l
  JOIN pub.stock_item i ON i.id = l.stock_item_id WHERE i.venue_id = :v AND i.sku = 'GUIN50';

-- Paying the balance: 527.67 - 233.70 = 293.97; the reference makes it idempotent.
SELECT pub.pay_supplier(:v, :sup, '2026-06-30', 293.97, 'BANK-0630') = pub.pay_supplier(:v, :sup, '2026-06-30', 293.97, 'BANK-0630') AS same_payment;
SELECT a.code, sum(l.debit) - sum(l.credit) AS balance FROM pub.journal_line l JOIN pub.account a ON a.id = l.account_id
 WHERE l.venue_id = :v AND a.code IN ('1100', '1300', '2000') GROUP BY a.code ORDER BY a.code;
-- Business events for the documents.
SELECT type, payload->>'number' AS number, payload->>'net' AS net FROM pub.outbox
 WHERE aggregatetype = 'delivery' ORDER BY payload->>'number';

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

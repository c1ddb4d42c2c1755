-- Sales: plain INSERTs post stock, VAT, cost of goods and one balanced
-- journal entry per sale; record_sale does the same with validation.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Sales Test Inn'
\i sql/include/bo_pub_ie.psql

-- 1. A till's plain INSERTs, in one transaction.
--    2 pints @ 5.60 + 1 G&T @ 8.50 = 19.70 at 23%: VAT 19.70 × 23/123 = 3.6837 -> 3.68
--    1 chips @ 4.50 at 13.5% (June 2026): VAT 4.50 × 13.5/113.5 = 0.5352 -> 0.54
--    Net: draught 11.20 - 2.0943 = 9.11, spirits 8.50 - 1.5894 = 6.91, food 3.96.
--    COGS: 1136 ml × 0.0035 = 3.98; 35.5 ml × 0.03 + 1 × 0.40 = 1.47; chips 0.80.
BEGIN;
INSERT INTO pub.sale (venue_id, idempotency_key, sold_at, till)
VALUES (:v, 'T1-0001', '2026-06-15 20:00+01', 'bar 1') RETURNING id AS s1 \gset
INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price)
VALUES (:s1, 1, :v, :guinness, 2, 5.60), (:s1, 2, :v, :gt, 1, 8.50), (:s1, 3, :v, :chips, 1, 4.50);
INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount) VALUES (:s1, 'card', :v, 24.20);
COMMIT;
SELECT e.entry_date, a.code, a.name, l.debit, l.credit, l.vat_rate
  FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.source = 'sale' AND e.source_id = :s1 ORDER BY a.code, l.vat_rate;
SELECT i.sku, m.kind, m.quantity, m.unit_cost FROM pub.stock_movement m JOIN pub.stock_item i ON i.id = m.stock_item_id
 WHERE m.source_id = :s1 AND m.kind = 'sale' ORDER BY i.sku;

-- 2. record_sale on 2 July 2026: chips now at 9%.
--    2 chips = 9.00 × 9/109 = 0.7431 -> 0.74; 1 pint 5.60 × 23/123 = 1.0472 -> 1.05.
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'T1-0002',
    'sold_at', '2026-07-02 21:00+01', 'lines', jsonb_build_array(
        jsonb_build_object('product_id', :chips, 'quantity', 2),
        jsonb_build_object('product_id', :guinness, 'quantity', 1)),
    'payments', jsonb_build_array(jsonb_build_object('method', 'cash', 'amount', 14.60)))) - 'sale_id' AS recorded;
SELECT a.code, l.debit, l.credit, l.vat_rate
  FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.idempotency_key = 'sale:' || (SELECT id FROM pub.sale WHERE idempotency_key = 'T1-0002')
 ORDER BY a.code, l.vat_rate;
-- A resend is a no-op.
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'T1-0002',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :chips, 'quantity', 9)))) ->> 'duplicate' AS duplicate;
SELECT count(*) AS sales, (SELECT count(*) FROM pub.journal_entry WHERE source = 'sale') AS sale_entries
  FROM pub.sale WHERE venue_id = :v;
-- A resend by plain INSERT is refused by the unique key.
SELECT pg_temp.try(format('INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (%s, %L)', :v, 'T1-0002'));

-- 3. VAT is rounded once per document and rate, not per line: seven lines
--    of 0.10 at 23% carry 0.0187 VAT each (0.02 if rounded per line, 0.14 in
--    all); the document's VAT is round(0.1309) = 0.13.
INSERT INTO pub.product (venue_id, name, category, tax_class, price)
VALUES (:v, 'Straw', 'other', 'standard', 0.10) RETURNING id AS straw \gset
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'T1-0003', 'sold_at', '2026-07-03 12:00+01',
    'lines', (SELECT jsonb_agg(jsonb_build_object('product_id', :straw, 'quantity', 1)) FROM generate_series(1, 7)))) ->> 'gross' AS gross;
SELECT a.code, l.debit, l.credit FROM pub.journal_line l JOIN pub.account a ON a.id = l.account_id
 WHERE l.entry_id = (SELECT id FROM pub.journal_entry WHERE idempotency_key = 'sale:' ||
                     (SELECT id FROM pub.sale WHERE idempotency_key = 'T1-0003')) ORDER BY a.code;

-- With the venue's rounding rule 'up' (never round down) the same sale's VAT is 0.14.
UPDATE pub.venue SET rounding_rule = 'up' WHERE id = :v;
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'T1-0003U', 'sold_at', '2026-07-03 12:00+01',
    'lines', (SELECT jsonb_agg(jsonb_build_object('product_id', :straw, 'quantity', 1)) FROM generate_series(1, 7)))) ->> 'gross' AS gross;
SELECT a.code, l.debit, l.credit FROM pub.journal_line l JOIN pub.account a ON a.id = l.account_id
 WHERE l.entry_id = (SELECT id FROM pub.journal_entry WHERE idempotency_key = 'sale:' ||
                     (SELECT id FROM pub.sale WHERE idempotency_key = 'T1-0003U')) ORDER BY a.code;
UPDATE pub.venue SET rounding_rule = 'half_up' WHERE id = :v;
-- A catalogue price with a third decimal is refused, not rounded.
SELECT pg_temp.try(format('INSERT INTO pub.product (venue_id, name, category, price) VALUES (%s, %L, %L, 5.555)', :v, 'Odd', 'other'));

-- 4. A void (money and stock back) and a refund (money back, stock stays used).
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'T1-0004', 'kind', 'void',
    'original_sale_id', :s1, 'sold_at', '2026-06-15 20:05+01',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1)))) ->> 'gross' AS void_gross;
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'T1-0005', 'kind', 'refund',
    'original_sale_id', :s1, 'sold_at', '2026-06-15 20:10+01',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :gt, 'quantity', 1)),
    'payments', jsonb_build_array(jsonb_build_object('method', 'cash', 'amount', 8.50)))) ->> 'gross' AS refund_gross;
SELECT s.idempotency_key, a.code, l.debit, l.credit
  FROM pub.sale s JOIN pub.journal_entry e ON e.source = 'sale' AND e.source_id = s.id
  JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE s.idempotency_key IN ('T1-0004', 'T1-0005') ORDER BY s.idempotency_key, a.code;
SELECT i.sku, m.kind, m.quantity FROM pub.stock_movement m JOIN pub.stock_item i ON i.id = m.stock_item_id
 WHERE m.kind IN ('void', 'refund') AND m.venue_id = :v ORDER BY i.sku;
-- Sales are append-only.
SELECT pg_temp.try(format('UPDATE pub.sale_line SET quantity = 3 WHERE sale_id = %s', :s1));
SELECT pg_temp.try(format('DELETE FROM pub.sale WHERE id = %s', :s1));
-- Lines added to a posted sale are refused.
SELECT pg_temp.try(format('INSERT INTO pub.sale_line VALUES (%s, 9, %s, %s, 1, 5.60)', :s1, :v, :guinness));

-- 5. Stock levels equal the movement log; entries balance; the event was written.
SELECT i.sku, l.quantity, l.quantity = (SELECT sum(quantity) FROM pub.stock_movement m WHERE m.stock_item_id = i.id) AS matches_log
  FROM pub.stock_item i JOIN pub.stock_level l ON l.stock_item_id = i.id WHERE i.venue_id = :v ORDER BY i.sku;
SELECT count(*) AS unbalanced FROM (SELECT entry_id FROM pub.journal_line GROUP BY entry_id HAVING sum(debit) <> sum(credit)) x;
SELECT type, aggregatetype, payload->>'idempotency_key' AS key, payload->>'gross' AS gross, jsonb_array_length(payload->'lines') AS lines
  FROM pub.outbox WHERE aggregatetype = 'sale' ORDER BY payload->>'idempotency_key';

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

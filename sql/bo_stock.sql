-- Stock: wastage, transfers between venues, stocktakes counted by units and
-- by weight, variance at cost and at retail, adjustment to shrinkage.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Stock Tavern'
\i sql/include/bo_pub_ie.psql
\set a :v
\set venue_name 'Stock Tavern Two'
\i sql/include/bo_pub_ie.psql
\set b :v

-- Wastage: 2,000 ml of Guinness (line cleaning) at 0.0035 = 7.00.
SELECT pub.record_wastage(:a, (SELECT id FROM pub.stock_item WHERE venue_id = :a AND sku = 'GUIN50'),
                          2000, '2026-06-05', 'line cleaning') IS NOT NULL AS wasted;
SELECT a.code, l.debit, l.credit FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id
  JOIN pub.account a ON a.id = l.account_id WHERE e.venue_id = :a AND e.source = 'wastage' ORDER BY a.code;
SELECT pg_temp.try(format('SELECT pub.record_wastage(%s, %s, 0, %L, %L)', :a,
    (SELECT id FROM pub.stock_item WHERE venue_id = :a AND sku = 'GUIN50'), '2026-06-05', 'zero'));

-- Transfer: 1,400 ml of gin (2 bottles) from A to B at A's average 0.03 = 42.00.
SELECT pub.transfer_stock(:a, :b, 'GIN70', 1400, '2026-06-06') IS NOT NULL AS transferred;
SELECT e.venue_id = :a AS from_a, a.code, l.debit, l.credit FROM pub.journal_entry e
  JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.source = 'transfer' ORDER BY e.id, a.code;
SELECT i.venue_id = :a AS in_a, l.quantity, l.avg_cost FROM pub.stock_level l JOIN pub.stock_item i ON i.id = l.stock_item_id
 WHERE i.sku = 'GIN70' ORDER BY i.venue_id;
SELECT pg_temp.try(format('SELECT pub.transfer_stock(%s, %s, %L, 10, %L)', :a, :b, 'NOSUCH', '2026-06-06'));
SELECT pg_temp.try(format('SELECT pub.transfer_stock(%s, %s, %L, 10, %L)', :a, :a, 'GIN70', '2026-06-06'));

-- Sell 100 pints in A: 56,800 ml; the keg level is 100,000 - 2,000 - 56,800 = 41,200 ml.
SELECT count(pub.record_sale(jsonb_build_object('venue_id', :a, 'idempotency_key', 'ST-' || g,
    'sold_at', '2026-06-10 20:00+01', 'lines', jsonb_build_array(jsonb_build_object(
        'product_id', (SELECT id FROM pub.product WHERE venue_id = :a AND name = 'Pint of Guinness'), 'quantity', 1)))))
  AS sales FROM generate_series(1, 100) g;

-- Stocktake on 30 June: the Guinness is a short keg: no full kegs, the open
-- keg weighs 33,500 g: (33,500 - 13,500) / (63,500 - 13,500) × 50,000 ml
-- = 20,000 ml left, against 41,200 expected: 21,200 ml missing,
-- at cost 21,200 × 0.0035 = 74.20, at retail 21,200 × (5.60 / 1.23 / 568) = 169.93.
-- Gin: 7 full bottles + one at 900 g: (900 - 550) / (1250 - 550) × 700 = 350 ml,
-- 5,250 ml against 5,600 expected: 350 ml missing (10.50 at cost).
-- Heineken: 2 cases = 48 bottles: no variance.
SELECT pub.record_stocktake(jsonb_build_object('venue_id', :a, 'counted_on', '2026-06-30', 'counts', jsonb_build_array(
    jsonb_build_object('sku', 'GUIN50', 'gross_weight_g', 33500),
    jsonb_build_object('sku', 'GIN70', 'full_units', 7, 'gross_weight_g', 900),
    jsonb_build_object('sku', 'HEIN33', 'full_units', 2)))) AS st \gset
SELECT i.sku, r.expected, r.counted, r.variance, r.variance_cost, r.variance_retail
  FROM pub.stocktake_result r JOIN pub.stock_item i ON i.id = r.stock_item_id WHERE r.stocktake_id = :st ORDER BY i.sku;
SELECT a.code, l.debit, l.credit FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id
  JOIN pub.account a ON a.id = l.account_id WHERE e.source = 'stocktake' AND e.source_id = :st ORDER BY a.code;
SELECT i.sku, l.quantity FROM pub.stock_level l JOIN pub.stock_item i ON i.id = l.stock_item_id
 WHERE i.venue_id = :a AND i.sku IN ('GUIN50', 'GIN70', 'HEIN33') ORDER BY i.sku;
-- A weight outside tare..full is refused, and nothing of that stocktake stays.
SELECT pg_temp.try(format('SELECT pub.record_stocktake(%L)', jsonb_build_object('venue_id', :a, 'counted_on', '2026-07-01',
    'counts', jsonb_build_array(jsonb_build_object('sku', 'GUIN50', 'gross_weight_g', 70000)))));
SELECT count(*) AS stocktakes FROM pub.stocktake WHERE venue_id = :a;

-- Stock levels equal the movement log in both venues; every entry balances.
SELECT count(*) AS mismatches FROM pub.stock_level l
 WHERE l.quantity <> (SELECT coalesce(sum(quantity), 0) FROM pub.stock_movement m WHERE m.stock_item_id = l.stock_item_id);
SELECT count(*) AS unbalanced FROM (SELECT entry_id FROM pub.journal_line GROUP BY entry_id HAVING sum(debit) <> sum(credit)) x;
-- Falling below par emitted StockBelowPar (the keg's par is 50,000 ml).
SELECT type, payload->>'sku' AS sku, payload->>'quantity' AS quantity, payload->>'reorder_packs' AS reorder_packs
  FROM pub.outbox WHERE type = 'StockBelowPar' AND venue_id = :a ORDER BY created_at, payload->>'sku';

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

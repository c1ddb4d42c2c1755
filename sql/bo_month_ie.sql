-- A month in an Irish pub (20 June - 19 July 2026), checkable by hand:
-- draught, bottles, spirits, food at 13.5% then 9% from 1 July 2026, a
-- delivery, a credit note, a stocktake with a short keg, the VAT3 for the
-- two bi-monthly periods, P&L, trial balance and the other reports.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\i sql/include/bo_sell.psql
\set venue_name 'The Brazen Tap'
\i sql/include/bo_pub_ie.psql
-- Opening (1 June): inventory 648.00 (keg 100,000 ml × 0.0035 = 350.00,
-- Heineken 48 × 1.10 = 52.80, gin 7,000 ml × 0.03 = 210.00, tonic 48 × 0.40
-- = 19.20, chips 20 × 0.80 = 16.00) against owner's equity.
UPDATE pub.stock_item SET par_level = 48 WHERE venue_id = :v AND sku = 'TONIC';
INSERT INTO pub.supplier (venue_id, name) VALUES (:v, 'Diageo Ireland') RETURNING id AS diageo \gset
INSERT INTO pub.supplier (venue_id, name) VALUES (:v, 'Heineken Ireland') RETURNING id AS heineken_ie \gset

-- Sat 20 June.  A (card): 10 pints 56.00 + 2 chips 9.00 = 65.00.
--   VAT 23%: 56.00 × 23/123 = 10.4715 -> 10.47, net draught 45.53.
--   VAT 13.5%: 9.00 × 13.5/113.5 = 1.0705 -> 1.07, net food 7.93.
--   COGS: 5,680 ml × 0.0035 = 19.88 draught; 2 × 0.80 = 1.60 food.
SELECT pg_temp.sell(:v, 'A', '2026-06-20 19:30+01', '{"Pint of Guinness": 10, "Chips": 2}', 'card') AS a;
-- B (cash): 4 Heineken 23.20 + 3 G&T 25.50 = 48.70, all 23%:
--   VAT 48.70 × 23/123 = 9.1065 -> 9.11; net bottled 23.20 - 4.3382 = 18.86,
--   spirits 25.50 - 4.7683 = 20.73 (18.86 + 20.73 = 39.59 = 48.70 - 9.11).
--   COGS: 4 × 1.10 = 4.40 bottled; 3 × (35.5 × 0.03 + 0.40) = 4.395 -> 4.40 spirits.
SELECT pg_temp.sell(:v, 'B', '2026-06-20 22:10+01', '{"Bottle of Heineken": 4, "Gin & Tonic": 3}', 'cash') AS b;

-- 25 June: a keg delivered, net 175.00 + VAT 23% 40.25 = 215.25 (average stays 0.0035/ml).
SELECT pub.book_invoice(jsonb_build_object('venue_id', :v, 'supplier_id', :diageo, 'number', 'INV-2001',
    'issue_date', '2026-06-25', 'lines', jsonb_build_array(jsonb_build_object(
        'stock_item_id', (SELECT id FROM pub.stock_item WHERE venue_id = :v AND sku = 'GUIN50'),
        'quantity', 1, 'net_amount', 175.00, 'vat_rate', 23)))) ->> 'duplicate' AS duplicate;
-- 28 June: credit note for 6 broken bottles (a quarter case): net 6.60 + VAT
-- round(6.60 × 0.23 = 1.518) = 1.52 = 8.12.
SELECT pub.book_invoice(jsonb_build_object('venue_id', :v, 'supplier_id', :heineken_ie, 'number', 'CN-55',
    'kind', 'credit_note', 'issue_date', '2026-06-28', 'lines', jsonb_build_array(jsonb_build_object(
        'stock_item_id', (SELECT id FROM pub.stock_item WHERE venue_id = :v AND sku = 'HEIN33'),
        'quantity', 0.25, 'net_amount', 6.60, 'vat_rate', 23)))) ->> 'duplicate' AS duplicate;

-- VAT3 May-June: T1 = 10.47 + 1.07 + 9.11 = 20.65; T2 = 40.25 - 1.52 = 38.73;
-- T3 = 0; T4 = 38.73 - 20.65 = 18.08 repayable.
SELECT * FROM pub.vat3_ie(:v, '2026-05-01', '2026-06-30');
-- Filed: the period is closed, and a late June sale is refused.
SELECT pub.close_period(:v, '2026-05-01', '2026-06-30') IS NOT NULL AS closed;
SELECT pg_temp.try(format('SELECT pg_temp.sell(%s, %L, %L, %L, %L)', :v, 'LATE', '2026-06-30 23:00+01',
                          '{"Pint of Guinness": 1}', 'cash'));
SELECT type, payload->>'period_start' AS period_start, payload->>'period_end' AS period_end
  FROM pub.outbox WHERE type = 'PeriodClosed' AND venue_id = :v;

-- Thu 2 July.  C (cash): 6 pints 33.60 + 2 chips 9.00 = 42.60.
--   VAT 23%: 33.60 × 23/123 = 6.2829 -> 6.28, net draught 27.32.
--   VAT 9% (from 1 July): 9.00 × 9/109 = 0.7431 -> 0.74, net food 8.26.
--   COGS: 3,408 ml × 0.0035 = 11.928 -> 11.93 draught; 1.60 food.
SELECT pg_temp.sell(:v, 'C', '2026-07-02 20:00+01', '{"Pint of Guinness": 6, "Chips": 2}', 'cash') AS c;
-- D (card): 2 G&T 17.00 + 1 Heineken 5.80 = 22.80: VAT 4.2634 -> 4.26;
--   net spirits 17.00 - 3.1789 = 13.82, bottled 5.80 - 1.0846 = 4.72.
--   COGS: 2 × 1.465 = 2.93 spirits; 1.10 bottled.
SELECT pg_temp.sell(:v, 'D', '2026-07-03 21:00+01', '{"Gin & Tonic": 2, "Bottle of Heineken": 1}', 'card') AS d;

-- Stocktake 5 July.  Keg: expected 100,000 - 5,680 + 50,000 - 3,408 = 140,912 ml.
-- Counted: 2 full kegs + the open keg at 49,412 g: (49,412 - 13,500) / 50,000
-- × 50,000 = 35,912 ml, so 135,912: the delivered keg was 5 L short.
-- Variance -5,000 ml: at cost -17.50; at retail 5,000 × 5.60 / 1.23 / 568 = -40.08.
-- Heineken: 48 - 4 - 6 - 1 = 37 = 1 case + 13 loose: no variance.
SELECT pub.record_stocktake(jsonb_build_object('venue_id', :v, 'counted_on', '2026-07-05', 'counts', jsonb_build_array(
    jsonb_build_object('sku', 'GUIN50', 'full_units', 2, 'gross_weight_g', 49412),
    jsonb_build_object('sku', 'HEIN33', 'full_units', 1, 'loose_units', 13)))) AS st \gset
SELECT * FROM pub.stocktake_variance(:st);

-- VAT3 July-August: T1 = 6.28 + 0.74 + 4.26 = 11.28; T2 = 0; T3 = 11.28.
SELECT * FROM pub.vat3_ie(:v, '2026-07-01', '2026-08-31');

-- P&L 1 June - 31 July.  Net sales: draught 45.53 + 27.32 = 72.85; bottled
-- 18.86 + 4.72 = 23.58; spirits 20.73 + 13.82 = 34.55; food 7.93 + 8.26 = 16.19;
-- total 147.17 (= gross 179.10 - VAT 31.93).  Cost of sales: draught 19.88 +
-- 11.93 = 31.81; bottled 4.40 + 1.10 = 5.50; spirits 4.40 + 2.93 = 7.33; food
-- 3.20; total 47.84.  Gross profit 99.33, margin 99.33 / 147.17 = 67.49%.
-- Shrinkage 17.50; net profit 81.83.
SELECT * FROM pub.profit_and_loss(:v, '2026-06-01', '2026-07-31');
-- Pour cost: draught 31.81 / 72.85 = 43.67%; bottled 5.50 / 23.58 = 23.32%;
-- spirits 7.33 / 34.55 = 21.22%; food 3.20 / 16.19 = 19.77%.
SELECT * FROM pub.pour_cost(:v, '2026-06-01', '2026-07-31');

-- Trial balance 31 July.  Cash 48.70 + 42.60 = 91.30; card 65.00 + 22.80 =
-- 87.80; inventory 648.00 + 175.00 - 6.60 - 47.84 - 17.50 = 751.06; VAT input
-- 38.73; payable 215.25 - 8.12 = 207.13 Cr; VAT output 31.93 Cr; equity 648.00
-- Cr; revenue 147.17 Cr; cost of sales 47.84; shrinkage 17.50.
-- Debits 1,034.23 = credits 1,034.23.
SELECT * FROM pub.trial_balance(:v, '2026-07-31');

-- Stock at cost: keg 135,912 × 0.0035 = 475.69; Heineken 37 × 1.10 = 40.70;
-- gin 6,822.5 × 0.03 = 204.68; tonic 43 × 0.40 = 17.20; chips 16 × 0.80 = 12.80;
-- 751.07 in all: one cent more than the ledger's 751.06, because each sale's
-- cost of goods is rounded to the cent (19.88 + 4.395 -> 4.40 + 11.928 -> 11.93 ...).
SELECT * FROM pub.stock_valuation(:v);
SELECT sum(value) AS stock_value FROM pub.stock_valuation(:v);

-- Z report for Saturday 20 June: card 65.00 (1 sale), cash 48.70 (1 sale), no tips.
SELECT * FROM pub.z_report(:v, '2026-06-20');
-- Cash flow June-July: cash in 91.30, card in 87.80, nothing paid out yet.
SELECT * FROM pub.cash_flow(:v, '2026-06-01', '2026-07-31');
-- Reorder: tonic (par 48) is at 48 - 5 = 43: 5 short, one case of 24.
SELECT * FROM pub.reorder_suggestions(:v);
SELECT type, payload->>'sku' AS sku, payload->>'quantity' AS quantity FROM pub.outbox
 WHERE type = 'StockBelowPar' AND venue_id = :v ORDER BY created_at;
-- Duty inside cost (Irish rates): keg 50 L at 4.2%: 22.55 × 0.5 hl × 4.2 =
-- 47.36 of 175.00 (27.1%); case of 24 × 330 ml at 5%: 22.55 × 0.0792 × 5 =
-- 8.93 of 26.40 (33.8%); gin 70 cl at 37.5%: 42.57 × 0.7 × 0.375 = 11.17 of 21.00 (53.2%).
SELECT * FROM pub.duty_in_cost(:v, '2026-07-05');

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

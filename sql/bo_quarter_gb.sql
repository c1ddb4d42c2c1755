-- A quarter in a UK pub (April - June 2026), checkable by hand: the VAT100
-- (boxes 1-9, 6-9 in whole pounds), P&L, trial balance, cash flow, Z report
-- and duty with draught relief.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\i sql/include/bo_sell.psql
INSERT INTO pub.venue (name, country, currency, vat_number, time_zone)
VALUES ('The Red Lion', 'GB', 'GBP', 'GB123456789', 'Europe/London') RETURNING id AS v \gset
INSERT INTO pub.stock_item (venue_id, sku, name, category, base_unit, pack_size, par_level, abv, duty_class)
VALUES (:v, 'BITTER50', 'Best bitter keg 50 L', 'draught', 'ml', 50000, 25000, 4.0, 'beer'),
       (:v, 'PATTY', 'Burger patty', 'food', 'each', 10, 0, NULL, NULL),
       (:v, 'COLA', 'Cola 330 ml bottle', 'soft_drinks', 'each', 24, 0, NULL, NULL);
INSERT INTO pub.product (venue_id, name, category, tax_class, price)
VALUES (:v, 'Pint of bitter', 'draught', 'standard', 4.80),
       (:v, 'Burger', 'food', 'catering', 12.00),
       (:v, 'Cola', 'soft_drinks', 'standard', 2.50);
INSERT INTO pub.recipe_line (venue_id, product_id, stock_item_id, quantity)
SELECT :v, p.id, i.id, r.q
  FROM (VALUES ('Pint of bitter', 'BITTER50', 568), ('Burger', 'PATTY', 1), ('Cola', 'COLA', 1)) r(p, i, q)
  JOIN pub.product p ON p.venue_id = :v AND p.name = r.p JOIN pub.stock_item i ON i.venue_id = :v AND i.sku = r.i;
INSERT INTO pub.supplier (venue_id, name) VALUES (:v, 'Fuller''s Brewery') RETURNING id AS brewery \gset
-- Opening on 1 April: one keg at 120.00 (0.0024/ml), 20 patties at 1.50 =
-- 30.00, 24 colas at 0.50 = 12.00: inventory 162.00 against equity.
INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, valued, moved_on)
SELECT :v, i.id, 'opening', o.q, o.c, true, '2026-04-01'
  FROM (VALUES ('BITTER50', 50000, 0.0024), ('PATTY', 20, 1.50), ('COLA', 24, 0.50)) o(sku, q, c)
  JOIN pub.stock_item i ON i.venue_id = :v AND i.sku = o.sku;
SELECT pub.post_journal(:v, '2026-04-01', 'opening stock', 'opening',
    '[{"account": "1200", "debit": 162.00}, {"account": "3000", "credit": 162.00}]') IS NOT NULL AS opening;

-- 10 April (card): 20 pints 96.00 + 5 burgers 60.00 + 6 colas 15.00 = 171.00,
--   all at 20% (hospitality food is back at 20% since April 2022): VAT 171.00 / 6
--   = 28.50; net draught 80.00, food 50.00, soft drinks 12.50.
--   COGS: 11,360 ml × 0.0024 = 27.264 -> 27.26; patties 7.50; colas 3.00.
SELECT pg_temp.sell(:v, 'Q-1', '2026-04-10 20:00+01', '{"Pint of bitter": 20, "Burger": 5, "Cola": 6}', 'card') AS q1;
-- 15 May: two kegs, net 240.00 + VAT 48.00 = 288.00 (average stays 0.0024/ml).
SELECT pub.book_invoice(jsonb_build_object('venue_id', :v, 'supplier_id', :brewery, 'number', 'F-9001',
    'issue_date', '2026-05-15', 'lines', jsonb_build_array(jsonb_build_object(
        'stock_item_id', (SELECT id FROM pub.stock_item WHERE venue_id = :v AND sku = 'BITTER50'),
        'quantity', 2, 'net_amount', 240.00, 'vat_rate', 20)))) ->> 'duplicate' AS duplicate;
-- 20 May (cash): 30 pints 144.00: VAT 24.00, net 120.00; COGS 17,040 × 0.0024 = 40.896 -> 40.90.
SELECT pg_temp.sell(:v, 'Q-2', '2026-05-20 21:00+01', '{"Pint of bitter": 30}', 'cash') AS q2;
-- 12 June (card): 10 burgers 120.00 + 10 colas 25.00 = 145.00: VAT 145 / 6 =
--   24.1667 -> 24.17; net food 100.00, soft drinks 25.00 - 4.1667 = 20.83.
--   COGS: patties 15.00, colas 5.00.
SELECT pg_temp.sell(:v, 'Q-3', '2026-06-12 13:00+01', '{"Burger": 10, "Cola": 10}', 'card') AS q3;
-- 30 June: the brewery is paid 288.00 from the bank.
SELECT pub.pay_supplier(:v, :brewery, '2026-06-30', 288.00, 'BACS-0630') IS NOT NULL AS paid;

-- VAT100 Q2: box 1 = 28.50 + 24.00 + 24.17 = 76.67; box 2 = 0; box 3 = 76.67;
-- box 4 = 48.00; box 5 = 28.67; box 6 = (80 + 50 + 12.50) + 120 + (100 + 20.83)
-- = 383.33 -> 383; box 7 = 240; boxes 8 and 9 = 0.
SELECT * FROM pub.vat100_gb(:v, '2026-04-01', '2026-06-30');
-- An Irish return for a UK venue is refused.
SELECT pg_temp.try(format('SELECT * FROM pub.vat3_ie(%s, %L, %L)', :v, '2026-04-01', '2026-06-30'));

-- P&L Q2: net sales draught 200.00, food 150.00, soft drinks 33.33 = 383.33;
-- cost of sales draught 27.26 + 40.90 = 68.16, food 22.50, soft drinks 8.00 =
-- 98.66; gross profit 284.67; margin 284.67 / 383.33 = 74.26%; net profit 284.67.
SELECT * FROM pub.profit_and_loss(:v, '2026-04-01', '2026-06-30');
-- Trial balance 30 June: cash 144.00; card 316.00; bank 288.00 Cr; inventory
-- 162.00 + 240.00 - 98.66 = 303.34; VAT input 48.00; payable 0 (not listed);
-- VAT output 76.67 Cr; equity 162.00 Cr; revenue 383.33 Cr; cost of sales 98.66.
-- Debits 910.00 = credits 910.00.
SELECT * FROM pub.trial_balance(:v, '2026-06-30');
-- Cash flow Q2: cash in 144.00; card in 316.00; bank out 288.00.
SELECT * FROM pub.cash_flow(:v, '2026-04-01', '2026-06-30');
-- Z report 10 April: card 171.00, no tips.
SELECT * FROM pub.z_report(:v, '2026-04-10');
-- Pour cost: draught 68.16 / 200.00 = 34.08%; food 22.50 / 150.00 = 15.00%;
-- soft drinks 8.00 / 33.33 = 24.00%.
SELECT * FROM pub.pour_cost(:v, '2026-04-01', '2026-06-30');
-- Duty in a keg of 4.0% bitter with UK draught relief (from 1 Feb 2025):
-- 18.76 × 50 L × 4.0% = 37.52 of the 120.00 keg (31.3%).
SELECT * FROM pub.duty_in_cost(:v, '2026-06-30');
-- Stock: keg 150,000 - 11,360 - 17,040 = 121,600 ml × 0.0024 = 291.84; patties
-- 5 × 1.50 = 7.50; colas 8 × 0.50 = 4.00: 303.34, equal to the ledger.
SELECT * FROM pub.stock_valuation(:v);

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

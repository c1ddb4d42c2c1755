-- The Z report: per payment method the takings, the tips (owed to staff, so
-- not takings) and what was collected (takings + tips), the figure the card
-- terminal's batch and the cash drawer show.  Refunds and voids change the
-- takings, not the tips; another venue's tips never appear; a day without
-- tips shows 0.00.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\i sql/include/bo_sell.psql
\set venue_name 'Venue B'
\i sql/include/bo_pub_ie.psql
\set b :v
\set venue_name 'Venue A'
\i sql/include/bo_pub_ie.psql
\set a :v
-- Both venues map Square's codes (the fixture's G&T has a double measure).
INSERT INTO pub.product (venue_id, name, category, tax_class, price)
SELECT id, 'Extra gin measure', 'spirits', 'standard', 4.00 FROM pub.venue;
SELECT count(*) AS mapped FROM (
    SELECT pub.map_pos_product(p.venue_id, 'square', m.code, p.id)
      FROM pub.product p JOIN (VALUES ('SQ-VAR-GUINNESS-PINT', 'Pint of Guinness'), ('SQ-VAR-GIN-TONIC', 'Gin & Tonic'),
           ('SQ-VAR-CHIPS', 'Chips'), ('SQ-VAR-HEINEKEN', 'Bottle of Heineken'), ('SQ-MOD-DOUBLE', 'Extra gin measure')) m(code, name)
        ON m.name = p.name) x;
\set order_json `cat test/documents/square_order_modifiers_tip.json`
\set return_json `cat test/documents/square_return_partial.json`

-- Friday 10 July 2026 at A: the tills sell 2 pints for cash (11.20) and a
-- G&T by card (8.50); Square orders bring 36.70 by card with a 3.00 card
-- tip (39.70 charged), and 2 Heinekens (11.60) paid 13.00 in cash, 1.40 of
-- it a tip.
SELECT pg_temp.sell(:a, 'till-pints', '2026-07-10 19:00+01', '{"Pint of Guinness": 2}', 'cash') AS cash_sale,
       pg_temp.sell(:a, 'till-gt', '2026-07-10 19:05+01', '{"Gin & Tonic": 1}', 'card') AS card_sale;
SELECT pub.ingest_square_order(:a, :'order_json') ->> 'tip' AS card_tip;
SELECT pub.ingest_square_order(:a, '{"id": "ORD-CASH-TIP", "state": "COMPLETED", "version": 1, "closed_at": "2026-07-10T21:10:00Z",
  "line_items": [{"uid": "h", "catalog_object_id": "SQ-VAR-HEINEKEN", "quantity": "2", "total_money": {"amount": 1160, "currency": "EUR"},
     "total_tax_money": {"amount": 217, "currency": "EUR"}, "applied_taxes": [{"tax_uid": "t23"}]}],
  "taxes": [{"uid": "t23", "percentage": "23", "type": "INCLUSIVE", "scope": "LINE_ITEM"}],
  "tenders": [{"id": "T-cash", "type": "CASH", "amount_money": {"amount": 1300, "currency": "EUR"},
               "tip_money": {"amount": 140, "currency": "EUR"}}]}') ->> 'tip' AS cash_tip;
-- B takes a 5.00 card tip the same night: not A's.
SELECT pub.ingest_square_order(:b, jsonb_set(jsonb_set(:'order_json'::jsonb, '{order,tenders,0,tip_money,amount}', '500'),
       '{order,tenders,0,amount_money,amount}', '4170')) ->> 'tip' AS b_card_tip;

-- Card: 8.50 + 36.70 taken, 3.00 tips, 48.20 in the terminal's batch; cash:
-- 11.20 + 11.60 taken, 1.40 tips, 24.20 in the drawer.
SELECT * FROM pub.z_report(:a, '2026-07-10');

-- A pint of the Square order is refunded to its card (5.60) and the till's
-- G&T voided (8.50): the card takings fall by 14.10, the tips stay.
SELECT pub.ingest_square_order(:a, :'return_json') ->> 'kind' AS refund;
SELECT pub.record_sale(jsonb_build_object('venue_id', :a, 'idempotency_key', 'till-gt-void', 'kind', 'void',
    'original_sale_id', (SELECT id FROM pub.sale WHERE venue_id = :a AND idempotency_key = 'till-gt'),
    'sold_at', '2026-07-10 19:10+01', 'lines', jsonb_build_array(jsonb_build_object('product_id', :gt, 'quantity', 1)),
    'payments', jsonb_build_array(jsonb_build_object('method', 'card', 'amount', 8.50)))) ->> 'gross' AS void;
SELECT * FROM pub.z_report(:a, '2026-07-10');
-- B's report has B's tip only.
SELECT * FROM pub.z_report(:b, '2026-07-10');

-- Thursday 9 July: a cash sale and no tips; Wednesday 8 July: nothing.
SELECT pg_temp.sell(:a, 'till-thursday', '2026-07-09 20:00+01', '{"Pint of Guinness": 1}', 'cash') AS thursday;
SELECT * FROM pub.z_report(:a, '2026-07-09');
SELECT * FROM pub.z_report(:a, '2026-07-08');

-- What counts as a tip, on Saturday 11 July: a manual journal of cash tips
-- from the tip jar (Dr cash, Cr tips payable) does, 10.00; paying tips out
-- of the drawer (Dr tips payable, Cr cash) does not; nor does an entry that
-- mixes tips with takings; reversing Friday's 3.00 card tip takes it back
-- on the day of the reversal.
SELECT pub.post_journal(:a, '2026-07-11', 'tip jar', 'tip-jar-0711',
    '[{"account": "1000", "debit": 10.00}, {"account": "2300", "credit": 10.00}]') IS NOT NULL AS tip_jar,
       pub.post_journal(:a, '2026-07-11', 'tips paid to staff', 'tips-paid-0711',
    '[{"account": "2300", "debit": 14.40}, {"account": "1000", "credit": 14.40}]') IS NOT NULL AS tips_paid,
       pub.post_journal(:a, '2026-07-11', 'function room', 'room-0711',
    '[{"account": "1010", "debit": 60.00}, {"account": "4090", "credit": 55.00}, {"account": "2300", "credit": 5.00}]') IS NOT NULL AS mixed,
       pub.reverse_entry((SELECT entry_id FROM pub.manual_journal
                           WHERE venue_id = :a AND idempotency_key = 'tip:square:CAISEM9xQd6R2ZpJbP4wTkL'), '2026-07-11') IS NOT NULL AS tip_reversed;
SELECT * FROM pub.z_report(:a, '2026-07-11');
-- Friday is unchanged.
SELECT payment_method, tips FROM pub.z_report(:a, '2026-07-10');

-- Under row-level security: A's manager sees A's report as above and
-- nothing of B's; a till may not run reports.
SET client_min_messages = warning;
DROP ROLE IF EXISTS zr_test_till_a, zr_test_manager_a;
RESET client_min_messages;
CREATE ROLE zr_test_till_a IN ROLE pub_till;
CREATE ROLE zr_test_manager_a IN ROLE pub_manager;
INSERT INTO pub.venue_member (venue_id, member) VALUES (:a, 'zr_test_till_a'), (:a, 'zr_test_manager_a');
SET ROLE zr_test_manager_a;
SELECT * FROM pub.z_report(:a, '2026-07-10');
SELECT * FROM pub.z_report(:b, '2026-07-10');
SET ROLE zr_test_till_a;
SELECT pg_temp.try(format('SELECT * FROM pub.z_report(%s, %L)', :a, '2026-07-10')) AS till_runs_z_report;
RESET ROLE;

DROP OWNED BY zr_test_till_a, zr_test_manager_a;
DROP ROLE zr_test_till_a, zr_test_manager_a;
DROP EXTENSION pub_backoffice CASCADE;

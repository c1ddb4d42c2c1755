-- Square orders: idempotent on (order id, version), older versions ignored,
-- only COMPLETED orders posted; modifiers, a tip, a partial refund, VAT
-- checked against ours; rejections leave nothing behind.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Square Inn'
\i sql/include/bo_pub_ie.psql
\set order_json `cat test/documents/square_order_modifiers_tip.json`
\set return_json `cat test/documents/square_return_partial.json`
INSERT INTO pub.product (venue_id, name, category, tax_class, price)
VALUES (:v, 'Extra gin measure', 'spirits', 'standard', 4.00) RETURNING id AS extra_gin \gset
INSERT INTO pub.recipe_line (venue_id, product_id, stock_item_id, quantity)
SELECT :v, :extra_gin, id, 35.5 FROM pub.stock_item WHERE venue_id = :v AND sku = 'GIN70';
SELECT pub.map_pos_product(:v, 'square', c, p) FROM (VALUES ('SQ-VAR-GUINNESS-PINT', :guinness), ('SQ-VAR-GIN-TONIC', :gt),
       ('SQ-VAR-CHIPS', :chips), ('SQ-MOD-DOUBLE', :extra_gin), ('SQ-VAR-HEINEKEN', :heineken)) m(c, p);

-- Versions: an OPEN version is recorded, not posted; the COMPLETED one is
-- posted; the same version again, or an older one, changes nothing.
SELECT pub.ingest_square_order(:v, jsonb_set(jsonb_set(:'order_json'::jsonb, '{order,state}', '"OPEN"'), '{order,version}', '2')) AS open_v2;
SELECT pub.ingest_square_order(:v, :'order_json') - 'sale_id' AS completed_v4;
SELECT pub.ingest_square_order(:v, :'order_json') - 'sale_id' AS resend_v4;
SELECT pub.ingest_square_order(:v, jsonb_set(:'order_json'::jsonb, '{order,version}', '3')) - 'sale_id' AS older_v3;
SELECT pub.ingest_square_order(:v, jsonb_set(:'order_json'::jsonb, '{order,version}', '5')) - 'sale_id' AS later_v5;
SELECT order_id, version, state, kind, tip, tax_mismatch, tenders FROM pub.pos_order WHERE venue_id = :v;

-- The sale: the double measure is its own line (its gin leaves stock), the
-- free lime stays inside the G&T, 3 chips for 13.00 are 2 at 4.33 + 1 at 4.34.
SELECT s.idempotency_key, s.kind, s.sold_at, s.till FROM pub.sale s WHERE s.venue_id = :v;
SELECT p.name, l.quantity, l.unit_price FROM pub.sale_line l JOIN pub.product p ON p.id = l.product_id
  JOIN pub.sale s ON s.id = l.sale_id WHERE s.venue_id = :v ORDER BY l.line_no;
SELECT method, amount FROM pub.sale_payment WHERE venue_id = :v;
-- Journal: the sale at our VAT, and the 3.00 tip owed to staff.
SELECT e.source, a.code, a.name, l.debit, l.credit, l.vat_rate FROM pub.journal_entry e
  JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.venue_id = :v AND e.entry_date = '2026-07-10' ORDER BY e.id, a.code;
SELECT count(*) AS tax_mismatches FROM pub.pos_tax_mismatch WHERE venue_id = :v;

-- The partial refund: one pint back, to the card it was paid with; the
-- poured stock stays used; the same return again is a no-op.
SELECT i.sku, l.quantity FROM pub.stock_level l JOIN pub.stock_item i ON i.id = l.stock_item_id
 WHERE i.venue_id = :v AND i.sku IN ('GUIN50', 'GIN70') ORDER BY i.sku;
SELECT pub.ingest_square_order(:v, :'return_json') - 'sale_id' AS refund;
SELECT pub.ingest_square_order(:v, :'return_json') - 'sale_id' AS refund_again;
SELECT s.kind, o.idempotency_key AS original, p.method, p.amount FROM pub.sale s JOIN pub.sale o ON o.id = s.original_sale_id
  JOIN pub.sale_payment p ON p.sale_id = s.id WHERE s.venue_id = :v;
SELECT i.sku, l.quantity FROM pub.stock_level l JOIN pub.stock_item i ON i.id = l.stock_item_id
 WHERE i.venue_id = :v AND i.sku IN ('GUIN50', 'GIN70') ORDER BY i.sku;

-- Square charged 23% on chips (catering, 9% on 10 July 2026): the order is
-- posted at our rate and the difference recorded, not silently accepted.
-- Paid in cash; two bottles of Heineken for 11.60.
SELECT pub.ingest_square_order(:v, '{"id": "ORD-MISMATCH", "state": "COMPLETED", "version": 1, "closed_at": "2026-07-10T21:05:00Z",
  "line_items": [
    {"uid": "c1", "catalog_object_id": "SQ-VAR-CHIPS", "quantity": "1", "total_money": {"amount": 450, "currency": "EUR"},
     "total_tax_money": {"amount": 84, "currency": "EUR"}, "applied_taxes": [{"tax_uid": "t23"}]},
    {"uid": "h1", "catalog_object_id": "SQ-VAR-HEINEKEN", "quantity": "2", "total_money": {"amount": 1160, "currency": "EUR"},
     "total_tax_money": {"amount": 217, "currency": "EUR"}, "applied_taxes": [{"tax_uid": "t23"}]}],
  "taxes": [{"uid": "t23", "percentage": "23", "type": "INCLUSIVE", "scope": "LINE_ITEM"}],
  "tenders": [{"id": "T-cash", "type": "CASH", "amount_money": {"amount": 1610, "currency": "EUR"}}]}') - 'sale_id' AS mismatch;
SELECT m.order_id, m.line_uid, p.name, m.pos_type, m.pos_rate, m.our_rate, m.pos_tax, m.our_tax
  FROM pub.pos_tax_mismatch m JOIN pub.product p ON p.id = m.product_id WHERE m.venue_id = :v;
SELECT a.code, l.debit, l.credit, l.vat_rate FROM pub.journal_entry e
  JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
 WHERE e.venue_id = :v AND e.memo = 'sale square:ORD-MISMATCH' AND a.code IN ('1000', '2100') ORDER BY a.code, l.vat_rate;

-- Rejections: nothing is recorded, so the corrected order can be sent again.
CREATE FUNCTION pg_temp.ingest(o text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.try(format('SELECT pub.ingest_square_order(%s, %L)', (SELECT id FROM pub.venue WHERE name = 'Square Inn'), o))
$$;
\set base '{"id": "ORD-BAD", "state": "COMPLETED", "version": 1, "closed_at": "2026-07-10T22:00:00Z", "line_items": [{"uid": "x", "catalog_object_id": "SQ-VAR-HEINEKEN", "quantity": "1", "total_money": {"amount": 580, "currency": "EUR"}, "total_tax_money": {"amount": 108, "currency": "EUR"}, "applied_taxes": [{"tax_uid": "t"}]}], "taxes": [{"uid": "t", "percentage": "23", "type": "INCLUSIVE"}], "tenders": [{"id": "T", "type": "CARD", "amount_money": {"amount": 580, "currency": "EUR"}}]}'
SELECT pg_temp.ingest(jsonb_set(:'base', '{line_items,0,catalog_object_id}', '"SQ-UNKNOWN"')::text) AS unmapped_item;
SELECT pg_temp.ingest(jsonb_set(:'base', '{line_items,0,total_money,currency}', '"GBP"')::text) AS wrong_currency;
SELECT pg_temp.ingest(jsonb_set(:'base', '{tenders,0,amount_money,amount}', '570')::text) AS tenders_short;
SELECT pg_temp.ingest(jsonb_set(:'base', '{line_items,0,quantity}', '"one"')::text) AS quantity_not_decimal;
SELECT pg_temp.ingest(jsonb_set(:'base', '{line_items,0,quantity}', '"-1"')::text) AS quantity_negative;
SELECT pg_temp.ingest(jsonb_set(:'base', '{line_items,0,total_money,amount}', '5.8')::text) AS money_not_minor_units;
SELECT pg_temp.ingest((:'base'::jsonb - 'version')::text) AS no_version;
SELECT pg_temp.ingest(jsonb_set(:'base', '{state}', '"PAID"')::text) AS unknown_state;
SELECT pg_temp.ingest(jsonb_set(:'base', '{tenders,0,type}', '"SQUARE_GIFT_CARD"')::text) AS gift_card;
SELECT pg_temp.ingest(jsonb_set(:'base', '{service_charges}', '[{"name": "Service"}]')::text) AS service_charge;
SELECT pg_temp.ingest(jsonb_set(:'base', '{closed_at}', '"yesterday evening"')::text) AS bad_time;
SELECT pg_temp.ingest(jsonb_set(jsonb_set(:'return_json'::jsonb, '{returns,0,source_order_id}', '"NEVER-SEEN"'), '{id}', '"RET-BAD"')::text) AS return_of_unknown_order;
SELECT pg_temp.ingest('[1, 2]') AS not_an_object;
SELECT pg_temp.ingest(jsonb_set(jsonb_set(jsonb_set(jsonb_set(:'return_json'::jsonb, '{id}', '"RET-TOO-MUCH"'),
       '{returns,0,return_line_items,0,quantity}', '"7"'), '{returns,0,return_line_items,0,total_money,amount}', '3920'),
       '{refunds,0,amount_money,amount}', '3920')::text) AS refund_more_than_paid;
SELECT count(*) AS bad_orders_recorded FROM pub.pos_order WHERE venue_id = :v AND order_id IN ('ORD-BAD', 'RET-BAD', 'RET-TOO-MUCH');
SELECT pub.ingest_square_order(:v, :'base') ->> 'result' AS corrected_order;
SELECT sum(debit) = sum(credit) AS balanced FROM pub.journal_line WHERE venue_id = :v;

DROP EXTENSION pub_backoffice CASCADE;

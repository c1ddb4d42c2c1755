-- Bad sales: each is refused with a clear error, a fitting SQLSTATE and a
-- message naming the field, and leaves nothing behind.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Errors Inn'
\i sql/include/bo_pub_ie.psql
INSERT INTO pub.venue (name, country, currency, time_zone)
VALUES ('Other Bar', 'GB', 'GBP', 'Europe/London') RETURNING id AS other \gset
INSERT INTO pub.product (venue_id, name, category, price) VALUES (:other, 'Pint of bitter', 'draught', 4.80)
RETURNING id AS bitter \gset
CREATE FUNCTION pg_temp.sale(lines jsonb, extra jsonb DEFAULT '{}') RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.try(format('SELECT pub.record_sale(%L)',
        jsonb_build_object('venue_id', current_setting('bo.v')::bigint, 'idempotency_key', 'E-' || md5(lines::text || extra::text),
                           'sold_at', '2026-06-20 21:00+01', 'lines', lines) || extra))
$$;
SELECT set_config('bo.v', :'v', false) IS NOT NULL AS ok;

-- Unknown product.
SELECT pg_temp.sale('[{"product_id": 999999, "quantity": 1}]');
-- Inactive product: through record_sale and through plain INSERTs (refused at commit).
INSERT INTO pub.product (venue_id, name, category, price, active) VALUES (:v, 'Old stout', 'draught', 5.00, false)
RETURNING id AS old_stout \gset
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :old_stout, 'quantity', 1)));
SELECT pg_temp.try(format($q$
    WITH s AS (INSERT INTO pub.sale (venue_id, idempotency_key, sold_at) VALUES (%1$s, 'P-1', '2026-06-20 21:00+01') RETURNING id),
         l AS (INSERT INTO pub.sale_line SELECT id, 1, %1$s, %2$s, 1, 5.00 FROM s)
    INSERT INTO pub.sale_payment SELECT id, 'cash', %1$s, 5.00 FROM s$q$, :v, :old_stout));
-- A product of another venue (wrong venue): record_sale and a plain INSERT.
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :bitter, 'quantity', 1)));
SELECT pg_temp.try(format($q$
    WITH s AS (INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (%1$s, 'P-2') RETURNING id)
    INSERT INTO pub.sale_line SELECT id, 1, %1$s, %2$s, 1, 4.80 FROM s$q$, :v, :bitter));
-- Zero and negative quantities.
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 0)));
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', -2)));
SELECT pg_temp.try(format($q$
    WITH s AS (INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (%1$s, 'P-3') RETURNING id)
    INSERT INTO pub.sale_line SELECT id, 1, %1$s, %2$s, -1, 5.60 FROM s$q$, :v, :guinness));
-- A price with more than two decimals.
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1, 'unit_price', 5.605)));
SELECT pg_temp.try(format($q$
    WITH s AS (INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (%1$s, 'P-4') RETURNING id)
    INSERT INTO pub.sale_line SELECT id, 1, %1$s, %2$s, 1, 5.605 FROM s$q$, :v, :guinness));
-- Payments that do not add up.
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1)),
                    '{"payments": [{"method": "cash", "amount": 5.00}]}');
-- A sale dated in a closed period.
SELECT pub.close_period(:v, '2026-05-01', '2026-05-31') IS NOT NULL AS may_closed;
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1)),
                    '{"sold_at": "2026-05-31 23:30+01"}');
-- Just after midnight local time on 1 June is June: allowed.
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1)),
                    '{"sold_at": "2026-05-31 23:30+00"}');
-- A missing VAT rate for the date (the 21% of 2020-21 is not seeded).
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1)),
                    '{"sold_at": "2020-12-01 20:00+00"}');
-- Negative stock where the venue forbids it: 48 bottles in stock, 49 sold.
UPDATE pub.venue SET allow_negative_stock = false WHERE id = :v;
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :heineken, 'quantity', 49)));
-- ... allowed (and flagged) where the venue allows it.
UPDATE pub.venue SET allow_negative_stock = true WHERE id = :v;
SELECT pg_temp.sale(jsonb_build_array(jsonb_build_object('product_id', :heineken, 'quantity', 49)));
SELECT l.quantity, l.negative_since IS NOT NULL AS flagged FROM pub.stock_level l
  JOIN pub.stock_item i ON i.id = l.stock_item_id WHERE i.sku = 'HEIN33' AND i.venue_id = :v;
-- Missing fields.
SELECT pg_temp.try('SELECT pub.record_sale(''{"idempotency_key": "x", "lines": []}'')');
SELECT pg_temp.try(format('SELECT pub.record_sale(%L)', jsonb_build_object('venue_id', :v, 'lines', '[]'::jsonb)));
SELECT pg_temp.try(format('SELECT pub.record_sale(%L)', jsonb_build_object('venue_id', :v, 'idempotency_key', 'x', 'lines', '[]'::jsonb)));
-- Nothing half-applied: only the two good sales exist, each with one entry.
SELECT count(*) AS sales, count(e.id) AS posted FROM pub.sale s
  LEFT JOIN pub.journal_entry e ON e.source = 'sale' AND e.source_id = s.id WHERE s.venue_id = :v;
SELECT count(*) AS orphan_lines FROM pub.sale_line l WHERE NOT EXISTS
    (SELECT 1 FROM pub.journal_entry e WHERE e.source = 'sale' AND e.source_id = l.sale_id);

-- Leave the database as the test found it.
DROP EXTENSION pub_backoffice CASCADE;

-- Sales whose lines have fractions of a cent (quantity 1.25 × 4.43 =
-- 5.5375) post balanced entries.  The rule: each line's amount is
-- round(quantity × unit_price, 2), half up, as the till prints it; the sale's
-- total is the sum of those amounts (what the payments must equal); line VAT
-- is amount × r ÷ (100 + r) at full precision, summed per sale and rate and
-- rounded once by the venue's rule; net per rate = its amounts − its VAT, the
-- rounding cent of the category split going to the rate's largest category.
-- Every figure of the entry is then in cents, so it balances by construction.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Half Up Inn'
\i sql/include/bo_pub_ie.psql
\set ie_half :v
\set venue_name 'Round Up Inn'
\i sql/include/bo_pub_ie.psql
\set ie_up :v
UPDATE pub.venue SET rounding_rule = 'up' WHERE id = :ie_up;
-- Two UK pubs on 10 December 2021 (hospitality food at 12.5%), no recipes:
-- draught at 20%, food at 12.5%, cold food at 0%.
INSERT INTO pub.venue (name, country, currency, vat_number, time_zone, rounding_rule)
VALUES ('The Half Crown', 'GB', 'GBP', 'GB100000001', 'Europe/London', 'half_up'),
       ('The Sovereign', 'GB', 'GBP', 'GB100000002', 'Europe/London', 'up');
INSERT INTO pub.product (venue_id, name, category, tax_class, price)
SELECT v.id, p.name, p.category, p.tax_class, p.price
  FROM pub.venue v, (VALUES ('Pint of bitter', 'draught', 'standard', 4.43), ('Burger', 'food', 'catering', 11.95),
                            ('Sandwich', 'food', 'zero', 3.35), ('Cola', 'soft_drinks', 'standard', 2.45)) p(name, category, tax_class, price)
 WHERE v.country = 'GB';

-- By hand, Irish pub, 5 July 2026: 1.25 pints at 4.43 = 5.5375 -> 5.54 at
-- 23%; 0.5 chips at 4.45 = 2.225 -> 2.23 at 9%.  Total 7.77 (not
-- round(7.7625) = 7.76).  VAT 5.54 × 23/123 = 1.0359 -> 1.04, net draught
-- 4.50; 2.23 × 9/109 = 0.1841 -> 0.18, net food 2.05.  4.50 + 1.04 + 2.05 +
-- 0.18 = 7.77.
CREATE FUNCTION pg_temp.fractional_sale(venue bigint, key text, paid numeric) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.try(format($q$
        WITH s AS (INSERT INTO pub.sale (venue_id, idempotency_key, sold_at) VALUES (%1$s, %2$L, '2026-07-05 21:00+01') RETURNING id),
        l AS (INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price)
              SELECT s.id, x.n, %1$s, p.id, x.q, x.price FROM s, (VALUES (1, 'Pint of Guinness', 1.25, 4.43), (2, 'Chips', 0.5, 4.45)) x(n, name, q, price)
                JOIN pub.product p ON p.venue_id = %1$s AND p.name = x.name)
        INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount) SELECT s.id, 'card', %1$s, %3$s FROM s$q$,
        venue, key, paid))
$$;
-- Paid the rounded sum of the unrounded lines: refused, the lines total 7.77.
SELECT pg_temp.fractional_sale(:ie_half, 'H-1', 7.76) AS paid_7_76;
-- Paid the lines' amounts: posted, balanced.
SELECT pg_temp.fractional_sale(:ie_half, 'H-2', 7.77) AS paid_7_77;
SELECT a.code, a.name, l.debit, l.credit, l.vat_rate
  FROM pub.journal_line l JOIN pub.journal_entry e ON e.id = l.entry_id JOIN pub.account a ON a.id = l.account_id
 WHERE e.idempotency_key = 'sale:' || (SELECT id FROM pub.sale WHERE idempotency_key = 'H-2') ORDER BY l.id;
-- The event's lines add up to its gross.
SELECT payload->'gross' AS gross, jsonb_path_query_array(payload, '$.lines[*].amount') AS amounts
  FROM pub.outbox WHERE type = 'SaleRecorded' AND payload->>'idempotency_key' = 'H-2';
-- The same sale where VAT is rounded up: 1.0359 -> 1.04, 0.1841 -> 0.19,
-- nets 4.50 and 2.04.
SELECT pg_temp.fractional_sale(:ie_up, 'U-1', 7.77) AS rounded_up;
SELECT a.code, l.debit, l.credit, l.vat_rate
  FROM pub.journal_line l JOIN pub.journal_entry e ON e.id = l.entry_id JOIN pub.account a ON a.id = l.account_id
 WHERE e.idempotency_key = 'sale:' || (SELECT id FROM pub.sale WHERE idempotency_key = 'U-1') ORDER BY l.id;

-- record_sale (here at the second pub) takes the same total: the default
-- payment is 7.77, and 7.76 is
-- refused before anything is written.
SELECT pub.record_sale(jsonb_build_object('venue_id', :ie_up, 'idempotency_key', 'R-1', 'sold_at', '2026-07-05 21:05+01',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1.25, 'unit_price', 4.43),
                               jsonb_build_object('product_id', :chips, 'quantity', 0.5, 'unit_price', 4.45)))) - 'sale_id' AS recorded;
SELECT amount FROM pub.sale_payment WHERE sale_id = (SELECT id FROM pub.sale WHERE idempotency_key = 'R-1');
SELECT pg_temp.try(format('SELECT pub.record_sale(%L)', jsonb_build_object('venue_id', :ie_up, 'idempotency_key', 'R-2',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1.25, 'unit_price', 4.43),
                               jsonb_build_object('product_id', :chips, 'quantity', 0.5, 'unit_price', 4.45)),
    'payments', jsonb_build_array(jsonb_build_object('method', 'cash', 'amount', 7.76))))) AS paid_7_76;

-- 400 generated sales, 100 per venue (Irish and UK, VAT rounded half up
-- and up): one to five lines with fractional quantities, list and off-list
-- prices, several rates and categories, split payments, voids and refunds;
-- each paid the sum of its lines' amounts.  Every one posts.
CREATE TEMP TABLE refused (key text, sqlstate text, message text);
SELECT setseed(0.17);
DO $$
DECLARE
    v bigint; sid bigint; kind text; total numeric; cash numeric; products bigint[]; sold timestamptz;
    qty numeric; price numeric; msg text; state text;
BEGIN
    FOR i IN 1..400 LOOP
        SELECT id, CASE country WHEN 'IE' THEN '2026-07-05 21:00+01' ELSE '2021-12-10 20:00+00' END::timestamptz
          INTO v, sold FROM pub.venue ORDER BY id OFFSET i % 4 LIMIT 1;
        kind := CASE WHEN i > 8 AND random() < 0.15 THEN (ARRAY['void', 'refund'])[1 + floor(random() * 2)::int] ELSE 'sale' END;
        SELECT array_agg(id ORDER BY random()) INTO products FROM pub.product WHERE venue_id = v;
        BEGIN
            INSERT INTO pub.sale (venue_id, idempotency_key, sold_at, kind, original_sale_id)
            VALUES (v, 'G' || i, sold, kind, CASE WHEN kind <> 'sale' THEN (SELECT max(id) FROM pub.sale WHERE venue_id = v) END)
            RETURNING id INTO sid;
            total := 0;
            FOR l IN 1..1 + floor(random() * 5)::int LOOP
                qty := (ARRAY[1.25, 0.5, 0.333, 1.125, 0.75, 2, 1, 3.5])[1 + floor(random() * 8)::int];
                price := CASE WHEN random() < 0.5 THEN (SELECT p.price FROM pub.product p WHERE p.id = products[1 + (l - 1) % 4])
                              ELSE 0.50 + floor(random() * 1450) / 100 END;
                INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price)
                VALUES (sid, l, v, products[1 + (l - 1) % 4], qty, price);
                total := total + round(qty * price, 2);
            END LOOP;
            IF random() < 0.3 THEN
                cash := round(total / 3, 2);
                INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount)
                VALUES (sid, 'cash', v, cash), (sid, 'card', v, total - cash);
            ELSE
                INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount)
                VALUES (sid, (ARRAY['cash', 'card'])[1 + floor(random() * 2)::int], v, total);
            END IF;
            SET CONSTRAINTS ALL IMMEDIATE;   -- post now, inside this sale's subtransaction
            SET CONSTRAINTS ALL DEFERRED;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
            INSERT INTO refused VALUES ('G' || i, state, msg);
        END;
    END LOOP;
END $$;
SELECT sqlstate, count(*), min(message) AS first FROM refused GROUP BY 1 ORDER BY 1;
-- What was posted, by venue: sales with a line of fractional cents among them.
SELECT v.country, v.rounding_rule, count(*) AS posted,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pub.sale_line l WHERE l.sale_id = s.id
                                        AND l.quantity * l.unit_price <> round(l.quantity * l.unit_price, 2))) AS with_fractional_line,
       count(*) FILTER (WHERE (SELECT count(DISTINCT jl.vat_rate) FROM pub.journal_line jl WHERE jl.entry_id = e.id) > 1) AS with_several_rates
  FROM pub.sale s JOIN pub.venue v ON v.id = s.venue_id JOIN pub.journal_entry e ON e.idempotency_key = 'sale:' || s.id
 WHERE s.idempotency_key LIKE 'G%' GROUP BY 1, 2 ORDER BY 1, 2;
-- Each posted sale against the rule, recomputed here in SQL: the number of
-- entries that break each part of it (all 0).
WITH ln AS (
    SELECT s.id AS sale_id, CASE s.kind WHEN 'sale' THEN 1 ELSE -1 END AS sgn, v.rounding_rule, p.category,
           pub.vat_rate_on(v.country, p.tax_class, (s.sold_at AT TIME ZONE v.time_zone)::date) AS rate,
           round(l.quantity * l.unit_price, 2) AS amount
      FROM pub.sale s JOIN pub.venue v ON v.id = s.venue_id JOIN pub.sale_line l ON l.sale_id = s.id
      JOIN pub.product p ON p.id = l.product_id
     WHERE s.idempotency_key LIKE 'G%'
), want_rate AS (
    SELECT sale_id, rate, sgn * pub.round_vat(sum(amount * rate / (100 + rate)), rounding_rule) AS vat, sgn * sum(amount) AS gross
      FROM ln GROUP BY sale_id, sgn, rate, rounding_rule
), posted AS (
    SELECT e.source_id AS sale_id, a.role, l.vat_rate, l.debit - l.credit AS amount
      FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id JOIN pub.account a ON a.id = l.account_id
     WHERE e.source = 'sale' AND e.source_id IN (SELECT sale_id FROM ln)
), per_sale AS (
    SELECT w.sale_id,
           sum(w.gross) AS gross,
           (SELECT coalesce(sum(amount), 0) FROM posted p WHERE p.sale_id = w.sale_id AND p.role IN ('cash', 'card')) AS paid,
           (SELECT -coalesce(sum(amount), 0) FROM posted p WHERE p.sale_id = w.sale_id AND p.role IN ('revenue', 'vat_output')) AS sales_and_vat,
           (SELECT sum(amount) FROM posted p WHERE p.sale_id = w.sale_id) AS balance,
           bool_and(w.vat = coalesce((SELECT -sum(amount) FROM posted p WHERE p.sale_id = w.sale_id AND p.role = 'vat_output'
                                                                          AND p.vat_rate = w.rate), 0)) AS vat_ok,
           (SELECT (payload->>'gross')::numeric FROM pub.outbox o WHERE o.type = 'SaleRecorded' AND o.aggregateid = w.sale_id::text) AS event_gross
      FROM want_rate w WHERE w.sale_id IN (SELECT sale_id FROM posted) GROUP BY w.sale_id
)
SELECT count(*) AS sales,
       count(*) FILTER (WHERE balance <> 0) AS unbalanced,
       count(*) FILTER (WHERE paid <> gross) AS payments_not_lines_total,
       count(*) FILTER (WHERE sales_and_vat <> gross) AS net_plus_vat_not_gross,
       count(*) FILTER (WHERE NOT vat_ok) AS vat_not_rounded_once_per_rate,
       count(*) FILTER (WHERE event_gross <> abs(gross)) AS event_gross_differs
  FROM per_sale;
DROP EXTENSION pub_backoffice CASCADE;

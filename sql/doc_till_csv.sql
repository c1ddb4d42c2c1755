-- A till export without an API: one sale per CSV row, idempotent per file
-- (md5) and row; any bad row rejects the whole file.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Till Export Bar'
\i sql/include/bo_pub_ie.psql
\set csv `cat test/documents/till_export.csv`
SELECT pub.map_pos_product(:v, 'csv', c, p) FROM (VALUES ('GUIN-PINT', :guinness), ('HEIN-BTL', :heineken),
       ('GT', :gt), ('CHIPS', :chips)) m(c, p);

SELECT pub.import_till_csv(:v, :'csv', 'back bar') - 'file_hash' AS imported;
SELECT pub.import_till_csv(:v, :'csv', 'back bar') - 'file_hash' AS same_file_again;
-- Local times are read in the venue's zone (Europe/Dublin); the G&T row had an offset.
SELECT s.till, s.sold_at AT TIME ZONE 'Europe/Dublin' AS local_time, p.name, l.quantity, l.unit_price, m.method, m.amount
  FROM pub.sale s JOIN pub.sale_line l ON l.sale_id = s.id JOIN pub.product p ON p.id = l.product_id
  JOIN pub.sale_payment m ON m.sale_id = s.id
 WHERE s.venue_id = :v ORDER BY s.id, l.line_no;
SELECT method, sum(amount) FROM pub.sale_payment WHERE venue_id = :v GROUP BY method ORDER BY method;

-- Rejections: the whole file is refused and nothing of it is kept.
CREATE FUNCTION pg_temp.import(csv text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.try(format('SELECT pub.import_till_csv(%s, %L)', (SELECT id FROM pub.venue WHERE name = 'Till Export Bar'), csv))
$$;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,payment_method\nGT,1,8.50,card') AS no_time_column;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,1,8.50,2026-07-12 20:00,card\nWHISKEY,1,7.00,2026-07-12 20:01,cash') AS unmapped_code;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,1,8.505,2026-07-12 20:00,card') AS three_decimals;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,-1,-8.50,2026-07-12 20:00,card') AS negative_row;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,1,8.50,2026-07-12 20:00,voucher') AS voucher;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,1,8.50,tonight,card') AS bad_time;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,1,8.50,2026-07-12 20:00') AS missing_field;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\n"GT,1,8.50,2026-07-12 20:00,card') AS open_quote;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,1e9,8.50,2026-07-12 20:00,card') AS exponent;
SELECT pg_temp.import(E'product_code,quantity,gross_amount,sold_at,payment_method\nGT,1,99999999999999999.00,2026-07-12 20:00,card') AS huge_amount;
SELECT count(*) AS files, sum(rows) AS rows FROM pub.till_import WHERE venue_id = :v;
SELECT count(*) AS sales FROM pub.sale WHERE venue_id = :v;

DROP EXTENSION pub_backoffice CASCADE;

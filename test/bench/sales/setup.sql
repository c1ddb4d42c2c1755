-- Bench fixture: :venues Irish venues, each with a keg, bottles and gin, and
-- three products (ids (v-1)*3+1 .. (v-1)*3+3) sold by test/bench/sales/*.pgbench.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
INSERT INTO pub.venue (name, country, currency, time_zone)
SELECT 'Bench ' || g, 'IE', 'EUR', 'Europe/Dublin' FROM generate_series(1, :venues) g;
INSERT INTO pub.stock_item (venue_id, sku, name, category, base_unit, pack_size, par_level)
SELECT v.id, s.sku, s.name, s.cat, s.unit, s.pack, 0
  FROM pub.venue v, (VALUES (1, 'KEG', 'Keg 50 L', 'draught', 'ml', 50000), (2, 'BTL', 'Bottle', 'bottled', 'each', 24),
                            (3, 'GIN', 'Gin 70 cl', 'spirits', 'ml', 700)) s(n, sku, name, cat, unit, pack)
 ORDER BY v.id, s.n;
INSERT INTO pub.product (venue_id, name, category, tax_class, price)
SELECT v.id, p.name, p.cat, 'standard', p.price
  FROM pub.venue v, (VALUES (1, 'Pint', 'draught', 5.60), (2, 'Bottle', 'bottled', 5.80), (3, 'Gin', 'spirits', 8.50)) p(n, name, cat, price)
 ORDER BY v.id, p.n;
INSERT INTO pub.recipe_line (venue_id, product_id, stock_item_id, quantity)
SELECT p.venue_id, p.id, i.id, CASE i.sku WHEN 'KEG' THEN 568 WHEN 'BTL' THEN 1 ELSE 35.5 END
  FROM pub.product p JOIN pub.stock_item i ON i.venue_id = p.venue_id
   AND i.sku = CASE p.name WHEN 'Pint' THEN 'KEG' WHEN 'Bottle' THEN 'BTL' ELSE 'GIN' END;
INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, valued, moved_on)
SELECT venue_id, id, 'opening', 1000000000, 0.003, true, current_date FROM pub.stock_item ORDER BY id;

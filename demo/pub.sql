-- The demo pub: one Irish venue with draught, bottles, spirits, cocktails,
-- wine, soft drinks and food; recipes in base units, par levels, a supplier
-- with its item codes, and opening stock at cost.
INSERT INTO pub.venue (name, country, currency, vat_number, time_zone)
VALUES ('The Copper Kettle', 'IE', 'EUR', 'IE9876543W', 'Europe/Dublin');

INSERT INTO pub.stock_item (venue_id, sku, name, category, base_unit, pack_size,
                            full_weight_g, tare_weight_g, par_level, abv, duty_class)
SELECT v.id, s.sku, s.name, s.category, s.unit, s.pack, s.full_g, s.tare_g, s.par, s.abv, s.duty
  FROM pub.venue v,
       (VALUES ('GUIN50', 'Guinness keg 50 L',        'draught',     'ml',   50000, 63500, 13500, 100000, 4.2,  'beer'),
               ('HEINK50','Heineken keg 50 L',        'draught',     'ml',   50000, 63500, 13500,  50000, 5.0,  'beer'),
               ('CORONA', 'Corona 355 ml bottle',     'bottled',     'each',    24, NULL,  NULL,      48, 4.5,  'beer'),
               ('JAMES70','Jameson 70 cl',            'spirits',     'ml',     700, 1250,   550,    2100, 40.0, 'spirits'),
               ('GIN70',  'Gordon''s gin 70 cl',      'spirits',     'ml',     700, 1250,   550,    1400, 37.5, 'spirits'),
               ('VODKA70','Smirnoff vodka 70 cl',     'spirits',     'ml',     700, 1250,   550,    1400, 37.5, 'spirits'),
               ('RED75',  'House red 75 cl',          'wine',        'ml',     750, 1300,   550,    4500, 13.0, 'wine'),
               ('TONIC',  'Tonic water 200 ml',       'soft_drinks', 'each',    24, NULL,  NULL,      48, NULL, NULL),
               ('GINGER', 'Ginger beer 200 ml',       'soft_drinks', 'each',    24, NULL,  NULL,      24, NULL, NULL),
               ('COLA',   'Cola 330 ml',              'soft_drinks', 'each',    24, NULL,  NULL,      48, NULL, NULL),
               ('LIME',   'Lime wedge',               'food',        'each',   100, NULL,  NULL,     100, NULL, NULL),
               ('CHIPS',  'Chips portion',            'food',        'each',    10, NULL,  NULL,      40, NULL, NULL),
               ('TOASTIE','Ham and cheese toastie',   'food',        'each',    12, NULL,  NULL,      24, NULL, NULL))
       AS s(sku, name, category, unit, pack, full_g, tare_g, par, abv, duty)
 WHERE v.name = 'The Copper Kettle';

INSERT INTO pub.product (venue_id, name, category, tax_class, price)
SELECT v.id, p.name, p.category, p.tax_class, p.price
  FROM pub.venue v,
       (VALUES ('Pint of Guinness',   'draught',     'standard', 5.80),
               ('Pint of Heineken',   'draught',     'standard', 6.20),
               ('Bottle of Corona',   'bottled',     'standard', 6.00),
               ('Jameson',            'spirits',     'standard', 6.50),
               ('Gin & Tonic',        'spirits',     'standard', 9.00),
               ('Moscow Mule',        'spirits',     'standard', 11.50),
               ('Glass of house red', 'wine',        'standard', 7.50),
               ('Cola',               'soft_drinks', 'standard', 3.50),
               ('Chips',              'food',        'catering', 4.50),
               ('Toastie',            'food',        'catering', 7.00)) AS p(name, category, tax_class, price)
 WHERE v.name = 'The Copper Kettle';

-- Recipes in base units: a pint is 568 ml, an Irish measure 35.5 ml, a glass of wine 187.5 ml.
INSERT INTO pub.recipe_line (venue_id, product_id, stock_item_id, quantity)
SELECT v.id, p.id, i.id, r.q
  FROM pub.venue v,
       (VALUES ('Pint of Guinness', 'GUIN50', 568), ('Pint of Heineken', 'HEINK50', 568),
               ('Bottle of Corona', 'CORONA', 1), ('Bottle of Corona', 'LIME', 1),
               ('Jameson', 'JAMES70', 35.5),
               ('Gin & Tonic', 'GIN70', 35.5), ('Gin & Tonic', 'TONIC', 1), ('Gin & Tonic', 'LIME', 1),
               ('Moscow Mule', 'VODKA70', 50), ('Moscow Mule', 'GINGER', 1), ('Moscow Mule', 'LIME', 1),
               ('Glass of house red', 'RED75', 187.5), ('Cola', 'COLA', 1),
               ('Chips', 'CHIPS', 1), ('Toastie', 'TOASTIE', 1)) AS r(product, sku, q)
  JOIN pub.product p ON p.name = r.product
  JOIN pub.stock_item i ON i.sku = r.sku
 WHERE v.name = 'The Copper Kettle' AND p.venue_id = v.id AND i.venue_id = v.id;

INSERT INTO pub.supplier (venue_id, name, vat_number)
SELECT id, 'Liffey Drinks Wholesale', 'IE1111111A' FROM pub.venue WHERE name = 'The Copper Kettle';
INSERT INTO pub.supplier_item_code (venue_id, supplier_id, stock_item_id, code)
SELECT s.venue_id, s.id, i.id, 'LDW-' || i.sku
  FROM pub.supplier s JOIN pub.stock_item i ON i.venue_id = s.venue_id
 WHERE s.name = 'Liffey Drinks Wholesale';

-- Opening stock at cost (per base unit) and its journal entry.
INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, valued, moved_on)
SELECT i.venue_id, i.id, 'opening', o.q, o.c, true, current_date - 1
  FROM (VALUES ('GUIN50', 400000, 0.0036), ('HEINK50', 200000, 0.0034), ('CORONA', 240, 1.15),
               ('JAMES70', 7000, 0.0390), ('GIN70', 14000, 0.0300), ('VODKA70', 7000, 0.0280),
               ('RED75', 45000, 0.0100), ('TONIC', 240, 0.40), ('GINGER', 120, 0.45), ('COLA', 240, 0.50),
               ('LIME', 1000, 0.10), ('CHIPS', 600, 0.80), ('TOASTIE', 120, 1.90)) AS o(sku, q, c)
  JOIN pub.stock_item i ON i.sku = o.sku
  JOIN pub.venue v ON v.id = i.venue_id AND v.name = 'The Copper Kettle';
SELECT pub.post_journal(v.id, current_date - 1, 'opening stock', 'demo-opening',
         jsonb_build_array(jsonb_build_object('account', '1200', 'debit', t.value),
                           jsonb_build_object('account', '3000', 'credit', t.value))) IS NOT NULL AS opening_posted
  FROM pub.venue v,
       LATERAL (SELECT round(sum(m.quantity * m.unit_cost), 2) AS value
                  FROM pub.stock_movement m WHERE m.venue_id = v.id AND m.kind = 'opening') t
 WHERE v.name = 'The Copper Kettle';

-- Fixture for test/bench/ingest.sh: a venue, a supplier whose codes are
-- mapped and who has booked before (so documents book at once), Square
-- products mapped, and :n pre-generated 50-line invoices and 5-line orders
-- (each with its own number/id, so every call does the full work).
CREATE EXTENSION pub_backoffice;
INSERT INTO pub.venue (name, country, currency, vat_number) VALUES ('Bench Bar', 'IE', 'EUR', 'IE1234567T');
INSERT INTO pub.stock_item (venue_id, sku, name, category, base_unit, pack_size)
SELECT 1, 'SKU' || i, 'Item ' || i, 'bottled', 'each', 24 FROM generate_series(1, 10) i;
INSERT INTO pub.supplier (venue_id, name, vat_number) VALUES (1, 'Bench Supplier', 'IE3344556K');
INSERT INTO pub.supplier_item_code (venue_id, supplier_id, code, stock_item_id)
SELECT 1, 1, 'CODE' || i, i FROM generate_series(1, 10) i;
SELECT pub.book_invoice('{"venue_id": 1, "supplier_id": 1, "number": "FIRST", "issue_date": "2026-07-01",
                          "lines": [{"supplier_code": "CODE1", "quantity": 1, "net_amount": 10.00, "vat_rate": 23}]}');
INSERT INTO pub.product (venue_id, name, category, tax_class, price)
SELECT 1, 'Product ' || i, 'bottled', 'standard', 5.00 + i FROM generate_series(1, 5) i;
INSERT INTO pub.recipe_line (venue_id, product_id, stock_item_id, quantity) SELECT 1, i, i, 1 FROM generate_series(1, 5) i;
SELECT pub.map_pos_product(1, 'square', 'SQ' || i, i) FROM generate_series(1, 5) i;

CREATE SEQUENCE bench_invoice_seq;
CREATE SEQUENCE bench_order_seq;
CREATE TABLE bench_invoice (n int PRIMARY KEY, doc text);
CREATE TABLE bench_order (n int PRIMARY KEY, body jsonb);

-- 50 lines, prices 1.13 .. 1.19 × quantity 24 (cases of 24), all at 23%.
INSERT INTO bench_invoice
SELECT d, format($x$<?xml version="1.0"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>B-%1$s</cbc:ID><cbc:IssueDate>2026-07-10</cbc:IssueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>IE3344556K</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>
<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">%3$s</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">%2$s</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">%3$s</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>23</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">%2$s</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="EUR">%2$s</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">%4$s</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="EUR">%4$s</cbc:PayableAmount></cac:LegalMonetaryTotal>
%5$s</Invoice>$x$, d, t.net, t.vat, t.net + t.vat, t.lines)
  FROM generate_series(1, :n) d,
       LATERAL (SELECT sum(24 * price) AS net, round(sum(24 * price) * 0.23, 2) AS vat,
                       string_agg(format('<cac:InvoiceLine><cbc:ID>%s</cbc:ID><cbc:InvoicedQuantity unitCode="C62">24</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="EUR">%s</cbc:LineExtensionAmount><cac:Item><cbc:Name>Item</cbc:Name><cac:SellersItemIdentification><cbc:ID>CODE%s</cbc:ID></cac:SellersItemIdentification><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>23</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="EUR">%s</cbc:PriceAmount></cac:Price></cac:InvoiceLine>',
                                         i, 24 * price, 1 + i % 10, price), E'\n' ORDER BY i) AS lines
                  FROM (SELECT i, 1.12 + (i % 7 + 1) * 0.01 AS price FROM generate_series(1, 50) i) l) t;

-- 5 lines, one of each product, card with a 1.00 tip; VAT 23% inclusive.
INSERT INTO bench_order
SELECT d, jsonb_build_object('id', 'ORD-' || d, 'state', 'COMPLETED', 'version', 3, 'location_id', 'L1',
         'closed_at', '2026-07-10T20:00:00Z',
         'line_items', (SELECT jsonb_agg(jsonb_build_object('uid', 'u' || i, 'catalog_object_id', 'SQ' || i, 'quantity', '1',
                                 'total_money', jsonb_build_object('amount', (500 + 100 * i), 'currency', 'EUR'),
                                 'total_tax_money', jsonb_build_object('amount', round((500 + 100 * i) * 23 / 123.0), 'currency', 'EUR'),
                                 'applied_taxes', jsonb_build_array(jsonb_build_object('tax_uid', 'vat23'))))
                          FROM generate_series(1, 5) i),
         'taxes', '[{"uid": "vat23", "percentage": "23", "type": "INCLUSIVE", "scope": "LINE_ITEM"}]'::jsonb,
         'tenders', '[{"id": "T1", "type": "CARD", "amount_money": {"amount": 4100, "currency": "EUR"}, "tip_money": {"amount": 100, "currency": "EUR"}}]'::jsonb)
  FROM generate_series(1, :n) d;
VACUUM ANALYZE;

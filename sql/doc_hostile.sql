-- Hostile input: each is a clean error or a safe result, never a crash, a
-- hang or a file read.  These parsers run inside the server.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Hostile House'
\i sql/include/bo_pub_ie.psql
\set wine `cat test/documents/wine_invoice.xml`
\set order_json `cat test/documents/square_order_modifiers_tip.json`
INSERT INTO pub.supplier (venue_id, name, vat_number) VALUES (:v, 'Cellar Vino', 'IE3344556K') RETURNING id AS cellar \gset
SELECT pub.map_pos_product(:v, 'square', c, p) FROM (VALUES ('SQ-VAR-GUINNESS-PINT', :guinness), ('SQ-VAR-GIN-TONIC', :gt), ('SQ-VAR-CHIPS', :chips)) m(c, p);
SELECT pub.map_supplier_item(:cellar, 'CV-TON-24', (SELECT id FROM pub.stock_item WHERE venue_id = :v AND sku = 'TONIC')) ->> 'code' AS mapped;
SELECT pub.book_invoice(jsonb_build_object('venue_id', :v, 'supplier_id', :cellar, 'number', 'CV-1', 'issue_date', '2026-06-20',
       'lines', jsonb_build_array(jsonb_build_object('supplier_code', 'CV-TON-24', 'quantity', 1, 'net_amount', 11.52, 'vat_rate', 23))))
       ->> 'duplicate' AS first_booked_duplicate;
CREATE FUNCTION pg_temp.receive(doc text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.try(format('SELECT pub.receive_ubl_invoice(%s, %L)', (SELECT id FROM pub.venue WHERE name = 'Hostile House'), doc))
$$;

-- XML: truncated, wrong namespaces, not XML at all, empty, too big.
SELECT pg_temp.receive(left(:'wine', 2500)) AS truncated;
SELECT pg_temp.receive(replace(:'wine', 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2', 'urn:example:invoice')) AS wrong_root_namespace;
SELECT pg_temp.receive(replace(:'wine', 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2', 'urn:example:cbc')) AS wrong_cbc_namespace;
SELECT pg_temp.receive('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>') AS an_order_not_an_invoice;
SELECT pg_temp.receive('{"invoice": 1}') AS json_not_xml;
SELECT pg_temp.receive('') AS empty;
SELECT pg_temp.receive(NULL) AS null_document;
SELECT pg_temp.receive(:'wine' || repeat(' ', 33 * 1024 * 1024)) AS over_32_mb;

-- Entity expansion (billion laughs) and external entities are refused
-- before parsing; PostgreSQL's own parser would not read the file either.
SELECT pg_temp.receive('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>') AS billion_laughs;
SELECT pg_temp.receive(replace(:'wine', '<Invoice xmlns=', '<!DOCTYPE Invoice [<!ENTITY pw SYSTEM "file:///etc/passwd">]><Invoice xmlns=')) AS external_entity;
SELECT pg_temp.receive(replace(:'wine', 'Prosecco DOC 75 cl', '&pw;')) AS undeclared_entity;
SELECT position('root:' IN coalesce((xpath('/r/text()', xmlparse(document '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')))[1]::text, '')) AS passwd_read_by_plain_xmlparse;

-- Elements nested 100,000 deep (libxml2 stops at its depth limit), and a
-- note of a million characters inside an otherwise good invoice.
SELECT pg_temp.receive(replace(:'wine', '<cbc:ProfileID>', repeat('<x>', 100000) || repeat('</x>', 100000) || '<cbc:ProfileID>')) AS nested_100k;
SELECT pg_temp.receive(replace(replace(:'wine', '<cbc:ProfileID>', '<cbc:Note>' || repeat('pints ', 200000) || '</cbc:Note><cbc:ProfileID>'), 'CV-11873', 'CV-NOTE')) AS long_note;

-- Huge and malformed numbers.
SELECT pg_temp.receive(replace(:'wine', '<cbc:InvoicedQuantity unitCode="C62">12<', '<cbc:InvoicedQuantity unitCode="C62">1' || repeat('0', 400) || '<')) AS huge_quantity;
SELECT pg_temp.receive(replace(:'wine', '>114.00<', '>1e308<')) AS exponent_amount;
SELECT pg_temp.receive(replace(:'wine', '>114.00<', '>NaN<')) AS nan_amount;
SELECT pg_temp.receive(replace(:'wine', '<cbc:PriceAmount currencyID="EUR">9.50<', '<cbc:PriceAmount currencyID="EUR">0.' || repeat('1', 1000) || '<')) AS long_decimal;

-- Invalid UTF-8 never becomes text: the conversion itself refuses it.
SELECT pg_temp.try($$SELECT pub.receive_ubl_invoice(1, convert_from('\x3c496e766f6963653ec328'::bytea, 'UTF8'))$$) AS invalid_utf8;
SELECT pg_temp.try($$SELECT pub.ingest_square_order(1, convert_from('\x7b226964223a2280ff227d'::bytea, 'UTF8')::jsonb)$$) AS invalid_utf8_json;

-- A 10,000-line invoice generated here: read, checked and booked (its lines
-- grouped by stock item) in one call; the same with a VAT amount one cent
-- off is rejected by BR-CO-17.
CREATE FUNCTION pg_temp.big_invoice(number text, lines int, vat_error numeric) RETURNS text LANGUAGE sql AS $f$
    WITH l AS (SELECT i, 1.12 + (i % 7) * 0.01 AS price FROM generate_series(1, lines) i),
         t AS (SELECT sum(price) AS net, round(sum(price) * 0.23, 2) + vat_error AS vat FROM l)
    SELECT format($x$<?xml version="1.0"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>%1$s</cbc:ID><cbc:IssueDate>2026-07-10</cbc:IssueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>IE3344556K</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>
<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">%3$s</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">%2$s</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">%3$s</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>23</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">%2$s</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="EUR">%2$s</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">%4$s</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="EUR">%4$s</cbc:PayableAmount></cac:LegalMonetaryTotal>
%5$s</Invoice>$x$, number, t.net, t.vat, t.net + t.vat,
        (SELECT string_agg(format('<cac:InvoiceLine><cbc:ID>%s</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="EUR">%s</cbc:LineExtensionAmount><cac:Item><cbc:Name>Tonic water</cbc:Name><cac:SellersItemIdentification><cbc:ID>CV-TON-24</cbc:ID></cac:SellersItemIdentification><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>23</cbc:Percent></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="EUR">%s</cbc:PriceAmount></cac:Price></cac:InvoiceLine>',
                                  i, price, price), E'\n' ORDER BY i) FROM l))
      FROM t
$f$;
SELECT length(pg_temp.big_invoice('BIG-1', 10000, 0)) > 4000000 AS over_4_mb;
SELECT pg_temp.receive(pg_temp.big_invoice('BIG-2', 10000, 0.01)) AS invoice_10k_lines_vat_off;
SELECT pg_temp.receive(pg_temp.big_invoice('BIG-1', 10000, 0)) AS invoice_10k_lines;
SELECT jsonb_array_length(content->'lines') AS lines_read, status FROM pub.received_invoice WHERE number = 'BIG-1';
SELECT l.quantity, l.net_amount FROM pub.purchase_invoice p JOIN pub.purchase_invoice_line l ON l.invoice_id = p.id WHERE p.number = 'BIG-1';

-- JSON: nesting deeper than the server's stack is refused by the parser;
-- deep nesting inside a field the reader ignores is harmless.
SELECT pg_temp.try($$SELECT pub.ingest_square_order(1, (repeat('[', 200000) || repeat(']', 200000))::jsonb)$$) AS nested_200k;
SELECT pub.ingest_square_order(:v, jsonb_set(:'order_json'::jsonb, '{order,note}',
       (repeat('{"a":', 2000) || '1' || repeat('}', 2000))::jsonb)) ->> 'result' AS nested_2000_in_note;
SELECT pg_temp.try(format('SELECT pub.ingest_square_order(%s, %L)', :v,
       jsonb_set(jsonb_set(:'order_json'::jsonb, '{order,id}', '"ORD-HUGE"'), '{order,line_items,0,total_money,amount}',
                 ('1' || repeat('0', 30))::jsonb))) AS huge_money;
SELECT pg_temp.try(format('SELECT pub.ingest_square_order(%s, %L)', :v,
       jsonb_set(jsonb_set(:'order_json'::jsonb, '{order,id}', '"ORD-HUGE"'), '{order,line_items,0,quantity}',
                 to_jsonb('1' || repeat('0', 1000))))) AS huge_quantity;
SELECT pg_temp.try(format('SELECT pub.ingest_square_order(%s, %L)', :v,
       jsonb_set(:'order_json'::jsonb, '{order,id}', to_jsonb(repeat('x', 100000))))) AS huge_order_id;
SELECT pg_temp.try(format('SELECT pub.ingest_square_order(%s, %L)', :v,
       jsonb_set(jsonb_set(:'order_json'::jsonb, '{order,id}', '"ORD-HUGE"'), '{order,version}', '1e300'))) AS huge_version;
SELECT count(*) AS huge_orders_recorded FROM pub.pos_order WHERE order_id = 'ORD-HUGE';
SELECT sum(debit) = sum(credit) AS balanced FROM pub.journal_line WHERE venue_id = :v;

DROP EXTENSION pub_backoffice CASCADE;

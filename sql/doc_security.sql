-- Documents in under row-level security: a manager of venue A receives,
-- maps and approves A's supplier invoices; a till of A ingests A's Square
-- orders (its tip reaches the ledger through the trigger); neither can act
-- for venue B or see B's documents.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Venue A'
\i sql/include/bo_pub_ie.psql
\set a :v
\set a_guinness :guinness
\set a_gt :gt
\set a_chips :chips
\set venue_name 'Venue B'
\i sql/include/bo_pub_ie.psql
\set b :v
\set brewery_xml `cat test/documents/brewery_invoice.xml`
\set order_json `cat test/documents/square_order_modifiers_tip.json`
INSERT INTO pub.stock_item (venue_id, sku, name, category, base_unit, pack_size)
VALUES (:a, 'STOUT50', 'Liffey Stout keg 50 L', 'draught', 'ml', 50000), (:a, 'IPA30', 'IPA keg 30 L', 'draught', 'ml', 30000),
       (:a, 'KEGDEP', 'Keg deposit', 'other', 'each', 1);
-- B already holds a document from the same brewery.
SELECT pub.receive_ubl_invoice(:b, :'brewery_xml') ->> 'status' AS b_document;
SELECT id AS b_doc, supplier_id AS b_brewery FROM pub.received_invoice WHERE venue_id = :b \gset

SET client_min_messages = warning;
DROP ROLE IF EXISTS doc_test_till_a, doc_test_manager_a;
RESET client_min_messages;
CREATE ROLE doc_test_till_a IN ROLE pub_till;
CREATE ROLE doc_test_manager_a IN ROLE pub_manager;
INSERT INTO pub.venue_member (venue_id, member) VALUES (:a, 'doc_test_till_a'), (:a, 'doc_test_manager_a');

SET ROLE doc_test_manager_a;
SELECT pub.receive_ubl_invoice(:a, :'brewery_xml') ->> 'status' AS a_received;
SELECT venue_id = :a AS own_venue, number, status FROM pub.invoice_inbox;
SELECT id AS a_brewery FROM pub.supplier WHERE vat_number = 'IE9876543W' \gset
SELECT pub.map_supplier_item(:a_brewery, c, (SELECT id FROM pub.stock_item WHERE sku = s)) -> 'rerun' -> 0 ->> 'status' AS status
  FROM (VALUES ('LCB-STOUT-50', 'STOUT50'), ('LCB-IPA-30', 'IPA30'), ('LCB-DEP-KEG', 'KEGDEP')) m(c, s);
SELECT pub.approve_received_invoice((SELECT id FROM pub.invoice_inbox)) ->> 'status' AS approved;
SELECT pg_temp.try(format('SELECT pub.receive_ubl_invoice(%s, %L)', :b, replace(:'brewery_xml', 'LCB-2026-0815', 'LCB-X'))) AS receive_for_b;
SELECT pg_temp.try(format('SELECT pub.approve_received_invoice(%s)', :b_doc)) AS approve_b_document;
SELECT pg_temp.try(format('SELECT pub.map_supplier_item(%s, %L, %s)', :b_brewery, 'LCB-STOUT-50', (SELECT id FROM pub.stock_item WHERE sku = 'STOUT50'))) AS map_for_b_supplier;
SELECT pub.map_pos_product(:a, 'square', c, p) FROM (VALUES ('SQ-VAR-GUINNESS-PINT', :a_guinness)) m(c, p);
SELECT pg_temp.try(format('SELECT pub.map_pos_product(%s, %L, %L, %s)', :b, 'square', 'SQ-X', :a_guinness)) AS map_for_b;
RESET ROLE;
SELECT pub.map_pos_product(:a, 'square', c, p) FROM (VALUES ('SQ-VAR-GIN-TONIC', :a_gt), ('SQ-VAR-CHIPS', :a_chips)) m(c, p);
INSERT INTO pub.product (venue_id, name, category, tax_class, price) VALUES (:a, 'Extra gin measure', 'spirits', 'standard', 4.00) RETURNING id AS extra_gin \gset
SELECT pub.map_pos_product(:a, 'square', 'SQ-MOD-DOUBLE', :extra_gin);

SET ROLE doc_test_till_a;
SELECT pub.ingest_square_order(:a, :'order_json') ->> 'result' AS till_ingest;
SELECT pg_temp.try(format('SELECT pub.ingest_square_order(%s, %L)', :b, jsonb_set(:'order_json'::jsonb, '{order,id}', '"B-ORDER"'))) AS till_ingest_for_b;
SELECT pg_temp.try(format('SELECT pub.receive_ubl_invoice(%s, %L)', :a, :'brewery_xml')) AS till_receives_invoice;
SELECT pg_temp.try($$SELECT pub.post_tips(1, '2026-07-10', 'fake', '{"cash": 100}')$$) AS till_posts_tips;
SELECT pg_temp.try($$UPDATE pub.pos_order SET tip = 50, tips = '{"cash": 50}'$$) AS till_edits_tip_after_posting;
SELECT order_id, tip FROM pub.pos_order;
RESET ROLE;

-- As the owner: A's tip is in the ledger once, as ingested (editing the
-- column afterwards posts nothing); B's document is untouched.
SELECT a.code, l.debit, l.credit FROM pub.journal_entry e JOIN pub.journal_line l ON l.entry_id = e.id
  JOIN pub.account a ON a.id = l.account_id WHERE e.venue_id = :a AND e.memo LIKE 'tips %' ORDER BY a.code;
SELECT v.name, r.number, r.status FROM pub.received_invoice r JOIN pub.venue v ON v.id = r.venue_id ORDER BY v.name;

DROP OWNED BY doc_test_till_a, doc_test_manager_a;
DROP ROLE doc_test_till_a, doc_test_manager_a;
DROP EXTENSION pub_backoffice CASCADE;

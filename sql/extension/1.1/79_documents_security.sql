-- ===========================================================================
-- Documents in: security, in the back office's model (59_security.sql):
-- row-level security by venue membership on every venue-owned table here,
-- functions closed to PUBLIC and opened by role.  The entry points run as
-- the caller, so a manager receives invoices and a till ingests orders only
-- for their own venues; tips reach the ledger through a trigger.
-- ===========================================================================

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['received_invoice', 'pos_product_map', 'pos_order', 'pos_tax_mismatch', 'till_import'] LOOP
        EXECUTE format('ALTER TABLE pub.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY venue_isolation ON pub.%I USING (venue_id = ANY (CAST((SELECT pub.my_venue_ids()) AS bigint[])))'
                       ' WITH CHECK (venue_id = ANY (CAST((SELECT pub.my_venue_ids()) AS bigint[])))', t);
    END LOOP;
END $$;

REVOKE ALL ON pub.received_invoice, pub.pos_product_map, pub.pos_order, pub.pos_tax_mismatch, pub.till_import,
              pub.unit_code, pub.invoice_inbox FROM PUBLIC;
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'pub'::regnamespace
                AND p.proname = ANY (ARRAY['doc_decimal', 'doc_amount', 'doc_date', 'doc_packs', 'pos_sale_lines',
                    'ubl_parse', 'ubl_read', 'ubl_fail', 'ubl_foreign_currency', 'ubl_check_lines', 'ubl_check_totals',
                    'supplier_by_vat', 'received_invoice_lines', 'process_received_invoice', 'receive_ubl_invoice',
                    'retry_received_invoice', 'map_supplier_item', 'approve_received_invoice', 'map_pos_product',
                    'square_money', 'tips_account', 'post_tips', 'pos_order_post_tips', 'square_items',
                    'square_payments', 'ingest_square_order', 'csv_fields', 'till_time', 'import_till_csv'])
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

GRANT SELECT ON pub.unit_code TO pub_till, pub_manager, pub_accountant;
GRANT SELECT ON pub.received_invoice, pub.pos_product_map, pub.pos_order, pub.pos_tax_mismatch, pub.till_import,
                pub.invoice_inbox TO pub_manager, pub_accountant;

-- Tills ingest orders and till exports.  Square's VAT is compared with
-- ours, so a till may look a rate up.
GRANT SELECT ON pub.pos_product_map TO pub_till;
GRANT SELECT, INSERT, UPDATE ON pub.pos_order, pub.till_import TO pub_till, pub_manager;
GRANT INSERT ON pub.pos_tax_mismatch TO pub_till, pub_manager;
GRANT EXECUTE ON FUNCTION pub.ingest_square_order(bigint, jsonb), pub.import_till_csv(bigint, text, text),
    pub.doc_decimal(text, text, boolean), pub.doc_amount(text, text, boolean),
    pub.pos_sale_lines(bigint, numeric, numeric, text), pub.square_money(jsonb, text, text, boolean),
    pub.square_items(bigint, jsonb, jsonb, text, date), pub.square_payments(bigint, jsonb, jsonb),
    pub.csv_fields(text, int), pub.till_time(text, text, int), pub.vat_rate_on(text, text, date)
    TO pub_till, pub_manager;

-- Managers receive supplier documents, map codes and approve; they map PoS codes.
GRANT INSERT, UPDATE ON pub.received_invoice, pub.pos_product_map TO pub_manager;
GRANT EXECUTE ON FUNCTION pub.receive_ubl_invoice(bigint, text), pub.receive_ubl_invoice(bigint, xml),
    pub.map_supplier_item(bigint, text, bigint), pub.approve_received_invoice(bigint), pub.retry_received_invoice(bigint),
    pub.map_pos_product(bigint, text, text, bigint),
    pub.doc_date(text), pub.doc_packs(text, numeric, bigint), pub.ubl_parse(text), pub.ubl_read(text),
    pub.ubl_fail(jsonb, text, text), pub.ubl_foreign_currency(text, text, text), pub.ubl_check_lines(jsonb),
    pub.ubl_check_totals(jsonb), pub.supplier_by_vat(bigint, text, text), pub.received_invoice_lines(bigint),
    pub.process_received_invoice(bigint)
    TO pub_manager;

-- ===========================================================================
-- Back office: security.  Row-level security on every venue-owned table,
-- driven by venue membership; three group roles; no role writes the ledger,
-- the stock log or the outbox: SECURITY DEFINER triggers on the rows roles
-- may insert (sales, invoices, counts, journals requests) do that.
-- ===========================================================================

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['pub_till', 'pub_manager', 'pub_accountant'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;

CREATE TABLE pub.venue_member (
    venue_id  bigint NOT NULL REFERENCES pub.venue,
    member    name NOT NULL,
    PRIMARY KEY (venue_id, member)
);
COMMENT ON TABLE pub.venue_member IS 'Which roles (a login or a group role) may see and act for which venue';
COMMENT ON COLUMN pub.venue_member.member IS 'A role name; members of that role (directly or through groups) get the venue';

-- The caller's venues.  SECURITY INVOKER on purpose: inside a SECURITY
-- DEFINER function current_user would be the owner, not the caller.
CREATE FUNCTION pub.my_venue_ids() RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pub, pg_catalog AS $$
    SELECT coalesce(array_agg(m.venue_id), '{}') FROM pub.venue_member m JOIN pg_roles r ON r.rolname = m.member
     WHERE pg_has_role(current_user, r.oid, 'MEMBER')
$$;
COMMENT ON FUNCTION pub.my_venue_ids() IS 'Ids of the venues the current role belongs to (the row-level security predicate)';

ALTER TABLE pub.venue_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY venue_member_own ON pub.venue_member FOR SELECT
    USING (EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = member AND pg_has_role(current_user, r.oid, 'MEMBER')));
COMMENT ON POLICY venue_member_own ON pub.venue_member IS 'A role sees its own memberships';
ALTER TABLE pub.venue ENABLE ROW LEVEL SECURITY;
CREATE POLICY venue_isolation ON pub.venue
    USING (id = ANY (CAST((SELECT pub.my_venue_ids()) AS bigint[]))) WITH CHECK (id = ANY (CAST((SELECT pub.my_venue_ids()) AS bigint[])));
COMMENT ON POLICY venue_isolation ON pub.venue IS 'A role sees and changes only the venues it belongs to';

-- Every other table with a venue_id: visible and writable only for the
-- caller's venues.  (A transfer is owned by its sending venue.)
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
              WHERE c.relnamespace = 'pub'::regnamespace AND c.relkind = 'r'
                AND a.attname = 'venue_id' AND NOT a.attisdropped AND c.relname <> 'venue_member'
    LOOP
        EXECUTE format('ALTER TABLE pub.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY venue_isolation ON pub.%I USING (venue_id = ANY (CAST((SELECT pub.my_venue_ids()) AS bigint[])))'
                       ' WITH CHECK (venue_id = ANY (CAST((SELECT pub.my_venue_ids()) AS bigint[])))', t);
        EXECUTE format('COMMENT ON POLICY venue_isolation ON pub.%I IS %L', t,
                       'Rows of the venues the role belongs to only (pub.venue_member)');
    END LOOP;
END $$;

-- Privileges.  Functions are closed to PUBLIC and opened one by one; the
-- posting functions (post_sale, post_invoice, post_entry, post_stocktake) to no one.
REVOKE ALL ON ALL TABLES IN SCHEMA pub FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA pub FROM PUBLIC;
GRANT USAGE ON SCHEMA pub TO pub_till, pub_manager, pub_accountant;
GRANT SELECT ON pub.vat_rate, pub.duty_rate, pub.account_template, pub.venue_member
    TO pub_till, pub_manager, pub_accountant;
GRANT EXECUTE ON FUNCTION pub.my_venue_ids() TO pub_till, pub_manager, pub_accountant;

-- Till staff record sales, nothing else.
GRANT SELECT ON pub.venue, pub.product, pub.sale, pub.sale_line, pub.sale_payment TO pub_till;
GRANT INSERT ON pub.sale, pub.sale_line, pub.sale_payment TO pub_till;
GRANT EXECUTE ON FUNCTION pub.record_sale(jsonb) TO pub_till, pub_manager;

-- Managers run the venue: catalogue, sales, purchasing, stock; they read everything.
GRANT SELECT ON ALL TABLES IN SCHEMA pub TO pub_manager, pub_accountant;
GRANT INSERT, UPDATE ON pub.stock_item, pub.product, pub.recipe_line, pub.supplier, pub.supplier_item_code TO pub_manager;
GRANT INSERT ON pub.sale, pub.sale_line, pub.sale_payment, pub.purchase_invoice, pub.purchase_invoice_line,
                pub.supplier_payment, pub.wastage, pub.stock_transfer, pub.stocktake, pub.stocktake_count TO pub_manager;
GRANT EXECUTE ON FUNCTION pub.book_invoice(jsonb), pub.pay_supplier(bigint, bigint, date, numeric, text),
    pub.record_wastage(bigint, bigint, numeric, date, text), pub.transfer_stock(bigint, bigint, text, numeric, date),
    pub.record_stocktake(jsonb) TO pub_manager;

-- The accountant reads everything, posts manual journals and reversals, closes periods.
GRANT INSERT ON pub.accounting_period, pub.manual_journal, pub.entry_reversal TO pub_accountant;
GRANT EXECUTE ON FUNCTION pub.close_period(bigint, date, date), pub.post_journal(bigint, date, text, text, jsonb),
    pub.reverse_entry(bigint, date, text) TO pub_accountant;

-- Reports, for managers and the accountant.
GRANT EXECUTE ON FUNCTION pub.account_movements(bigint, date, date), pub.require_country(bigint, text),
    pub.vat3_ie(bigint, date, date), pub.vat100_gb(bigint, date, date), pub.profit_and_loss(bigint, date, date),
    pub.trial_balance(bigint, date), pub.cash_flow(bigint, date, date), pub.stock_valuation(bigint),
    pub.stocktake_variance(bigint), pub.pour_cost(bigint, date, date), pub.z_report(bigint, date),
    pub.reorder_suggestions(bigint), pub.duty_in_cost(bigint, date), pub.vat_rate_on(text, text, date),
    pub.retail_per_unit(bigint, date), pub.round_vat(numeric, text)
    TO pub_manager, pub_accountant;

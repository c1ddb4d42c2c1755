-- ===========================================================================
-- Back office: reports.  Every figure is derived from the journal lines and
-- the stock log at query time; nothing is a stored running total.
-- ===========================================================================

-- Net movement (debit - credit) per account of a venue over a date range.
CREATE FUNCTION pub.account_movements(p_venue bigint, p_from date, p_to date)
RETURNS TABLE (account_id bigint, code text, name text, type text, role text, category text, net numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT a.id, a.code, a.name, a.type, a.role, a.category,
           coalesce(sum(l.debit - l.credit), 0)
      FROM pub.account a
      LEFT JOIN (pub.journal_line l JOIN pub.journal_entry e ON e.id = l.entry_id
                                     AND e.entry_date BETWEEN p_from AND p_to)
        ON l.account_id = a.id
     WHERE a.venue_id = p_venue
     GROUP BY a.id
$$;
COMMENT ON FUNCTION pub.account_movements(bigint, date, date) IS
    'Per account of a venue: net = debits - credits dated from p_from to p_to inclusive';

CREATE FUNCTION pub.require_country(p_venue bigint, p_country text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pub.venue WHERE id = p_venue AND country = p_country) THEN
        RAISE EXCEPTION 'venue_id % is not a venue in %', p_venue, p_country
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Irish venues file VAT3 (pub.vat3_ie), UK venues VAT100 (pub.vat100_gb).';
    END IF;
END $$;
COMMENT ON FUNCTION pub.require_country(bigint, text) IS 'Raises unless the venue is in the given country';

-- Ireland's VAT3 for any period.  Amounts in euro and cent.  E1/E2 (intra-EU
-- goods), ES1/ES2 (intra-EU services) and PA1 (postponed accounting) come from
-- cross-border trade, which this model does not record: they are 0, and shown.
CREATE FUNCTION pub.vat3_ie(p_venue bigint, p_from date, p_to date)
RETURNS TABLE (box text, description text, amount numeric)
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    t1 numeric; t2 numeric;
BEGIN
    PERFORM pub.require_country(p_venue, 'IE');
    SELECT -sum(net) FILTER (WHERE m.role = 'vat_output'), sum(net) FILTER (WHERE m.role = 'vat_input')
      INTO t1, t2 FROM pub.account_movements(p_venue, p_from, p_to) m;
    RETURN QUERY VALUES
        ('T1', 'VAT on sales', t1),
        ('T2', 'VAT on purchases (deductible)', t2),
        ('T3', 'VAT payable (T1 - T2 when positive)', greatest(t1 - t2, 0)),
        ('T4', 'VAT repayable (T2 - T1 when positive)', greatest(t2 - t1, 0)),
        ('E1', 'Intra-EU supplies of goods', 0::numeric),
        ('E2', 'Intra-EU acquisitions of goods', 0::numeric),
        ('ES1', 'Intra-EU supplies of services', 0::numeric),
        ('ES2', 'Intra-EU acquisitions of services', 0::numeric),
        ('PA1', 'Postponed accounting (imports)', 0::numeric);
END $$;
COMMENT ON FUNCTION pub.vat3_ie(bigint, date, date) IS
    'Irish VAT3 for an Irish venue and period: box, description, amount (T1-T4 from the ledger; E1, E2, ES1, ES2, PA1 are 0: no cross-border trade is modelled)';

-- The UK's VAT100: boxes 1-5 in pounds and pence, 6-9 in whole pounds
-- (pence left out).  Box 7 counts supplier invoices and credit notes net.
CREATE FUNCTION pub.vat100_gb(p_venue bigint, p_from date, p_to date)
RETURNS TABLE (box int, description text, amount numeric)
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    b1 numeric; b4 numeric; b6 numeric; b7 numeric;
BEGIN
    PERFORM pub.require_country(p_venue, 'GB');
    SELECT -sum(net) FILTER (WHERE m.role = 'vat_output'), sum(net) FILTER (WHERE m.role = 'vat_input'),
           -sum(net) FILTER (WHERE m.role = 'revenue')
      INTO b1, b4, b6 FROM pub.account_movements(p_venue, p_from, p_to) m;
    SELECT coalesce(sum(CASE i.kind WHEN 'invoice' THEN l.net_amount ELSE -l.net_amount END), 0) INTO b7
      FROM pub.purchase_invoice i JOIN pub.purchase_invoice_line l ON l.invoice_id = i.id
     WHERE i.venue_id = p_venue AND i.issue_date BETWEEN p_from AND p_to;
    RETURN QUERY VALUES
        (1, 'VAT due on sales and other outputs', b1),
        (2, 'VAT due on acquisitions from EU member states (Northern Ireland only)', 0::numeric),
        (3, 'Total VAT due (box 1 + box 2)', b1),
        (4, 'VAT reclaimed on purchases and other inputs', b4),
        (5, 'Net VAT to pay or reclaim (|box 3 - box 4|)', abs(b1 - b4)),
        (6, 'Total value of sales excluding VAT (whole pounds)', trunc(b6)),
        (7, 'Total value of purchases excluding VAT (whole pounds)', trunc(b7)),
        (8, 'Supplies of goods to EU member states (whole pounds)', 0::numeric),
        (9, 'Acquisitions of goods from EU member states (whole pounds)', 0::numeric);
END $$;
COMMENT ON FUNCTION pub.vat100_gb(bigint, date, date) IS
    'UK VAT100 for a UK venue and period: box (1-9), description, amount (6-9 whole pounds; 2, 8, 9 are 0 outside Northern Ireland)';

CREATE FUNCTION pub.profit_and_loss(p_venue bigint, p_from date, p_to date)
RETURNS TABLE (line text, account_code text, account_name text, amount numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    WITH m AS (SELECT * FROM pub.account_movements(p_venue, p_from, p_to)),
    t AS (SELECT -coalesce(sum(net) FILTER (WHERE type = 'revenue'), 0) AS sales,
                 coalesce(sum(net) FILTER (WHERE role = 'cogs'), 0) AS cogs,
                 coalesce(sum(net) FILTER (WHERE type = 'expense' AND role <> 'cogs'), 0) AS expenses
            FROM m)
    SELECT * FROM (
        SELECT 'revenue', code, name, -net FROM m WHERE type = 'revenue' AND net <> 0
        UNION ALL SELECT 'net sales', NULL, NULL, sales FROM t
        UNION ALL SELECT 'cost of sales', code, name, net FROM m WHERE role = 'cogs' AND net <> 0
        UNION ALL SELECT 'total cost of sales', NULL, NULL, cogs FROM t
        UNION ALL SELECT 'gross profit', NULL, NULL, sales - cogs FROM t
        UNION ALL SELECT 'gross margin %', NULL, NULL, round(100 * (sales - cogs) / nullif(sales, 0), 2) FROM t
        UNION ALL SELECT 'expense', code, name, net FROM m WHERE type = 'expense' AND role <> 'cogs' AND net <> 0
        UNION ALL SELECT 'total expenses', NULL, NULL, expenses FROM t
        UNION ALL SELECT 'net profit', NULL, NULL, sales - cogs - expenses FROM t
    ) r
$$;
COMMENT ON FUNCTION pub.profit_and_loss(bigint, date, date) IS
    'Profit and loss: line (revenue, net sales, cost of sales, total cost of sales, gross profit, gross margin %, expense, total expenses, net profit), account_code, account_name, amount';

CREATE FUNCTION pub.trial_balance(p_venue bigint, p_as_of date)
RETURNS TABLE (account_code text, account_name text, type text, debit numeric, credit numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    WITH m AS (SELECT * FROM pub.account_movements(p_venue, '-infinity', p_as_of) WHERE net <> 0)
    SELECT * FROM (
        SELECT code, name, type, greatest(net, 0), greatest(-net, 0) FROM m ORDER BY code
    ) a
    UNION ALL
    SELECT 'TOTAL', NULL, NULL, coalesce(sum(greatest(net, 0)), 0), coalesce(sum(greatest(-net, 0)), 0) FROM m
$$;
COMMENT ON FUNCTION pub.trial_balance(bigint, date) IS
    'Trial balance at a date: account_code, account_name, type, debit, credit per account with a balance, then a TOTAL row (debits = credits)';

CREATE FUNCTION pub.cash_flow(p_venue bigint, p_from date, p_to date)
RETURNS TABLE (account_code text, account_name text, opening numeric, inflow numeric, outflow numeric, closing numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT a.code, a.name,
           coalesce(sum(l.debit - l.credit) FILTER (WHERE e.entry_date < p_from), 0),
           coalesce(sum(l.debit) FILTER (WHERE e.entry_date BETWEEN p_from AND p_to), 0),
           coalesce(sum(l.credit) FILTER (WHERE e.entry_date BETWEEN p_from AND p_to), 0),
           coalesce(sum(l.debit - l.credit) FILTER (WHERE e.entry_date <= p_to), 0)
      FROM pub.account a
      LEFT JOIN (pub.journal_line l JOIN pub.journal_entry e ON e.id = l.entry_id) ON l.account_id = a.id
     WHERE a.venue_id = p_venue AND a.role IN ('cash', 'card', 'bank')
     GROUP BY a.code, a.name ORDER BY a.code
$$;
COMMENT ON FUNCTION pub.cash_flow(bigint, date, date) IS
    'Cash flow of the cash, card clearing and bank accounts: account_code, account_name, opening, inflow, outflow, closing';

CREATE FUNCTION pub.stock_valuation(p_venue bigint)
RETURNS TABLE (sku text, name text, category text, base_unit text, quantity numeric, packs numeric,
               avg_cost numeric, value numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT i.sku, i.name, i.category, i.base_unit, l.quantity, round(l.quantity / i.pack_size, 2),
           round(l.avg_cost, 6), round(l.quantity * l.avg_cost, 2)
      FROM pub.stock_item i JOIN pub.stock_level l ON l.stock_item_id = i.id
     WHERE i.venue_id = p_venue ORDER BY i.category, i.sku
$$;
COMMENT ON FUNCTION pub.stock_valuation(bigint) IS
    'Stock on hand at weighted average cost: sku, name, category, base_unit, quantity (base units), packs, avg_cost (per base unit), value';

-- Variance of a stocktake per item and per category (rows with sku null).
-- The period runs from the venue's previous stocktake (or the start) to this one.
CREATE FUNCTION pub.stocktake_variance(p_stocktake bigint)
RETURNS TABLE (category text, sku text, name text, opening numeric, deliveries numeric, theoretical_usage numeric,
               actual_usage numeric, closing numeric, variance_units numeric, variance_cost numeric, variance_retail numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    WITH st AS (SELECT * FROM pub.stocktake WHERE id = p_stocktake),
    prev AS (SELECT max(p.counted_on) AS d FROM pub.stocktake p, st
              WHERE p.venue_id = st.venue_id AND p.id <> st.id AND p.counted_on < st.counted_on),
    r AS (
        SELECT i.category, i.sku, i.name, res.counted, res.variance, res.variance_cost, res.variance_retail,
               coalesce(sum(m.quantity) FILTER (WHERE m.moved_on <= prev.d), 0) AS opening,
               coalesce(sum(m.quantity) FILTER (WHERE (prev.d IS NULL OR m.moved_on > prev.d)
                   AND m.kind IN ('delivery', 'credit_note', 'transfer_in', 'transfer_out', 'opening')), 0) AS deliveries,
               -coalesce(sum(m.quantity) FILTER (WHERE (prev.d IS NULL OR m.moved_on > prev.d)
                   AND m.kind IN ('sale', 'void', 'wastage')), 0) AS theoretical
          FROM st JOIN pub.stocktake_result res ON res.stocktake_id = st.id
          JOIN pub.stock_item i ON i.id = res.stock_item_id
          CROSS JOIN prev
          LEFT JOIN pub.stock_movement m ON m.stock_item_id = i.id AND m.moved_on <= st.counted_on
               AND NOT (m.kind = 'stocktake' AND m.source_id = st.id)
         GROUP BY i.category, i.sku, i.name, res.counted, res.variance, res.variance_cost, res.variance_retail
    )
    SELECT category, sku, CASE WHEN grouping(sku) = 0 THEN min(name) END,
           sum(opening), sum(deliveries), sum(theoretical), sum(opening + deliveries - counted), sum(counted),
           sum(variance), sum(variance_cost), sum(variance_retail)
      FROM r
     GROUP BY GROUPING SETS ((category, sku), (category))
     ORDER BY category, sku NULLS LAST
$$;
COMMENT ON FUNCTION pub.stocktake_variance(bigint) IS
    'Stocktake variance per item and per category (sku null): category, sku, name, opening, deliveries, theoretical_usage (sales and wastage), actual_usage (opening + deliveries - closing), closing, variance_units (= theoretical - actual; negative = missing), variance_cost, variance_retail. Unit sums across items of different base units are only meaningful per item.';

CREATE FUNCTION pub.pour_cost(p_venue bigint, p_from date, p_to date)
RETURNS TABLE (category text, net_sales numeric, cogs numeric, pour_cost_pct numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT category, -sum(net) FILTER (WHERE role = 'revenue'), coalesce(sum(net) FILTER (WHERE role = 'cogs'), 0),
           round(100 * coalesce(sum(net) FILTER (WHERE role = 'cogs'), 0)
                 / nullif(-sum(net) FILTER (WHERE role = 'revenue'), 0), 2)
      FROM pub.account_movements(p_venue, p_from, p_to)
     WHERE role IN ('revenue', 'cogs')
     GROUP BY category
    HAVING sum(abs(net)) <> 0
     ORDER BY category
$$;
COMMENT ON FUNCTION pub.pour_cost(bigint, date, date) IS
    'Pour cost by category: category, net_sales, cogs, pour_cost_pct (= cogs / net sales × 100)';

-- Daily takings by payment method for a business date (voids and refunds
-- count negative).
CREATE FUNCTION pub.z_report(p_venue bigint, p_business_date date)
RETURNS TABLE (payment_method text, transactions bigint, takings numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    WITH p AS (
        SELECT sp.method, s.id, CASE s.kind WHEN 'sale' THEN sp.amount ELSE -sp.amount END AS amount
          FROM pub.journal_entry e JOIN pub.sale s ON s.id = e.source_id
          JOIN pub.sale_payment sp ON sp.sale_id = s.id
         WHERE e.venue_id = p_venue AND e.source = 'sale' AND e.entry_date = p_business_date
    )
    SELECT * FROM (SELECT method, count(DISTINCT id), sum(amount) FROM p GROUP BY method ORDER BY method) m
    UNION ALL SELECT 'total', count(DISTINCT id), coalesce(sum(amount), 0) FROM p
$$;
COMMENT ON FUNCTION pub.z_report(bigint, date) IS
    'Z report: payment_method (cash, card, total), transactions, takings for one business date';

CREATE FUNCTION pub.reorder_suggestions(p_venue bigint)
RETURNS TABLE (sku text, name text, quantity numeric, par_level numeric, shortfall numeric, packs_to_order numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT i.sku, i.name, l.quantity, i.par_level, i.par_level - l.quantity, ceil((i.par_level - l.quantity) / i.pack_size)
      FROM pub.stock_item i JOIN pub.stock_level l ON l.stock_item_id = i.id
     WHERE i.venue_id = p_venue AND i.active AND l.quantity < i.par_level
     ORDER BY i.sku
$$;
COMMENT ON FUNCTION pub.reorder_suggestions(bigint) IS
    'Items below par: sku, name, quantity, par_level, shortfall (base units), packs_to_order (whole packs to reach par)';

-- Duty inside the cost of each alcoholic item (per pack), from the duty rate
-- in force on the date for its class and ABV band (UK draught relief for
-- containers of 20 L or more below 8.5%).
CREATE FUNCTION pub.duty_in_cost(p_venue bigint, p_on date)
RETURNS TABLE (sku text, name text, duty_class text, abv numeric, litres_per_pack numeric, duty_per_pack numeric,
               cost_per_pack numeric, duty_share_pct numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT i.sku, i.name, i.duty_class, i.abv, round(x.ml / 1000, 3), x.duty, round(l.avg_cost * i.pack_size, 2),
           round(100 * x.duty / nullif(l.avg_cost * i.pack_size, 0), 1)
      FROM pub.stock_item i
      JOIN pub.venue v ON v.id = i.venue_id
      JOIN pub.stock_level l ON l.stock_item_id = i.id
      CROSS JOIN LATERAL (SELECT CASE i.base_unit WHEN 'ml' THEN i.pack_size
                                 ELSE i.pack_size * i.unit_volume_ml END AS ml) x0
      JOIN pub.duty_rate d ON d.country = v.country AND d.duty_class = i.duty_class
                          AND i.abv BETWEEN d.abv_from AND d.abv_to
                          AND d.draught = (v.country = 'GB' AND i.base_unit = 'ml' AND i.pack_size >= 20000 AND i.abv < 8.5)
                          AND d.valid_from <= p_on AND (d.valid_to IS NULL OR d.valid_to >= p_on)
      CROSS JOIN LATERAL (SELECT round(CASE d.basis
                  WHEN 'per_lpa' THEN d.rate * x0.ml / 1000 * i.abv / 100
                  WHEN 'per_hl_per_abv' THEN d.rate * x0.ml / 100000 * i.abv
                  ELSE d.rate * x0.ml / 100000 END, 2) AS duty, x0.ml) x
     WHERE i.venue_id = p_venue AND x0.ml IS NOT NULL
     ORDER BY i.sku
$$;
COMMENT ON FUNCTION pub.duty_in_cost(bigint, date) IS
    'Alcohol duty embedded in cost per pack: sku, name, duty_class, abv, litres_per_pack, duty_per_pack, cost_per_pack (average cost), duty_share_pct';

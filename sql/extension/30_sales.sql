-- ===========================================================================
-- Back office: sales.  A till INSERTs a sale, its lines and its payments in
-- one transaction; a deferred constraint trigger then posts the whole sale
-- once, at commit: stock through recipes, VAT out of the inclusive prices
-- (rounded once per sale and rate), cost of goods at average cost, one
-- balanced journal entry and a SaleRecorded business event.
-- Voids and refunds are new sales of kind void/refund, never edits.
-- ===========================================================================

CREATE TABLE pub.sale (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id         bigint NOT NULL REFERENCES pub.venue,
    idempotency_key  text NOT NULL CONSTRAINT sale_idempotency_key_check CHECK (idempotency_key <> ''),
    kind             text NOT NULL DEFAULT 'sale' CONSTRAINT sale_kind_check CHECK (kind IN ('sale', 'void', 'refund')),
    original_sale_id bigint,
    sold_at          timestamptz NOT NULL DEFAULT now(),
    till             text,
    txid             bigint NOT NULL DEFAULT txid_current(),
    CONSTRAINT sale_idempotency_key_unique UNIQUE (venue_id, idempotency_key),
    UNIQUE (venue_id, id),
    UNIQUE (venue_id, id, txid),
    FOREIGN KEY (venue_id, original_sale_id) REFERENCES pub.sale (venue_id, id),
    CONSTRAINT sale_original_sale_id_check CHECK ((kind = 'sale') = (original_sale_id IS NULL))
);
COMMENT ON TABLE pub.sale IS 'A till transaction; insert its lines and payments in the same database transaction';
COMMENT ON COLUMN pub.sale.idempotency_key IS 'The PoS''s id for the sale, unique per venue: a resend is refused (plain INSERT) or a no-op (record_sale)';
COMMENT ON COLUMN pub.sale.kind IS 'sale; void (cancels a sale: money and stock come back); refund (money back, the poured stock stays used)';
COMMENT ON COLUMN pub.sale.original_sale_id IS 'The sale a void or refund corrects';
COMMENT ON COLUMN pub.sale.txid IS 'Transaction that inserted the sale: its lines and payments must come in the same one';
COMMENT ON COLUMN pub.sale.sold_at IS 'When it was sold; its local date in the venue''s time zone is the business date';

CREATE TABLE pub.sale_line (
    sale_id     bigint NOT NULL,
    line_no     int NOT NULL,
    venue_id    bigint NOT NULL,
    product_id  bigint NOT NULL,
    quantity    numeric(10,3) NOT NULL CONSTRAINT sale_line_quantity_check CHECK (quantity > 0),
    unit_price  numeric NOT NULL CONSTRAINT sale_line_unit_price_check CHECK (unit_price >= 0 AND unit_price = round(unit_price, 2)),
    sale_txid   bigint NOT NULL DEFAULT txid_current(),
    PRIMARY KEY (sale_id, line_no),
    -- Posted at the sale's commit: a line from a later transaction finds no sale.
    CONSTRAINT sale_line_sale_open FOREIGN KEY (venue_id, sale_id, sale_txid) REFERENCES pub.sale (venue_id, id, txid),
    CONSTRAINT sale_line_product_id_fkey FOREIGN KEY (venue_id, product_id) REFERENCES pub.product (venue_id, id)
);
COMMENT ON TABLE pub.sale_line IS 'A product sold: quantity × unit_price (VAT inclusive)';
COMMENT ON COLUMN pub.sale_line.unit_price IS 'VAT-inclusive unit price, at most two decimals';

CREATE TABLE pub.sale_payment (
    sale_id   bigint NOT NULL,
    method    text NOT NULL CONSTRAINT sale_payment_method_check CHECK (method IN ('cash', 'card')),
    venue_id  bigint NOT NULL,
    amount    numeric NOT NULL CONSTRAINT sale_payment_amount_check CHECK (amount >= 0 AND amount = round(amount, 2)),
    sale_txid bigint NOT NULL DEFAULT txid_current(),
    PRIMARY KEY (sale_id, method),
    CONSTRAINT sale_payment_sale_open FOREIGN KEY (venue_id, sale_id, sale_txid) REFERENCES pub.sale (venue_id, id, txid)
);
COMMENT ON TABLE pub.sale_payment IS 'How a sale was paid (cash or card); the amounts sum to the sale''s total';

SELECT pub.make_append_only('pub.sale');
SELECT pub.make_append_only('pub.sale_line');
SELECT pub.make_append_only('pub.sale_payment');

-- Posts one sale (called by the deferred trigger; a no-op when posted).
-- Two statements on the good path: read and check; then move stock and post
-- the entry with its lines and the event.
-- No SET clause of its own: it runs only inside sale_post_trigger, which
-- fixes search_path, and one GUC save/restore per sale is saved.
CREATE FUNCTION pub.post_sale(p_sale bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    s record; e bigint; sgn int;
BEGIN
    SELECT x.id, x.venue_id, x.kind, x.idempotency_key, x.sold_at, v.country, v.rounding_rule, b.d,
           (SELECT cp.period_start || ' to ' || cp.period_end FROM pub.accounting_period cp
             WHERE cp.venue_id = x.venue_id AND cp.period_end >= b.d AND cp.period_start <= b.d LIMIT 1) AS closed,
           EXISTS (SELECT 1 FROM pub.journal_entry j WHERE j.venue_id = x.venue_id AND j.idempotency_key = 'sale:' || p_sale) AS posted,
           t.n_lines, t.gross, t.bad_line, t.bad_product, t.bad_active, t.bad_class,
           (SELECT coalesce(sum(amount), 0) FROM pub.sale_payment WHERE sale_id = p_sale) AS paid
      INTO s
      FROM pub.sale x JOIN pub.venue v ON v.id = x.venue_id
      CROSS JOIN LATERAL (SELECT (x.sold_at AT TIME ZONE v.time_zone)::date AS d) b
      CROSS JOIN LATERAL (
          SELECT count(*) AS n_lines, coalesce(sum(l.quantity * l.unit_price), 0) AS gross,
                 (array_agg(l.line_no ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_line,
                 (array_agg(l.product_id ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_product,
                 (array_agg(p.active ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_active,
                 (array_agg(p.tax_class ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_class
            FROM pub.sale_line l JOIN pub.product p ON p.id = l.product_id
            LEFT JOIN pub.vat_rate r ON r.country = v.country AND r.tax_class = p.tax_class
                                    AND r.valid_from <= b.d AND (r.valid_to IS NULL OR r.valid_to >= b.d)
           WHERE l.sale_id = p_sale) t
     WHERE x.id = p_sale;
    IF s.posted THEN
        RETURN NULL;
    END IF;
    sgn := CASE s.kind WHEN 'sale' THEN 1 ELSE -1 END;
    IF s.closed IS NOT NULL THEN
        RAISE EXCEPTION 'sale %: sold_at % (business date %) falls in closed accounting period %',
              s.idempotency_key, s.sold_at, s.d, s.closed
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Record it in the next open period.';
    END IF;
    IF s.bad_line IS NOT NULL AND NOT s.bad_active THEN
        RAISE EXCEPTION 'sale % line %: product_id % is inactive', s.idempotency_key, s.bad_line, s.bad_product
            USING ERRCODE = 'foreign_key_violation';
    ELSIF s.bad_line IS NOT NULL THEN
        PERFORM pub.vat_rate_on(s.country, s.bad_class, s.d);   -- raises the missing-rate error
    END IF;
    IF s.n_lines = 0 THEN
        RAISE EXCEPTION 'sale % has no lines', s.idempotency_key
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Insert the sale and its lines in one transaction.';
    END IF;
    IF s.paid <> round(s.gross, 2) THEN
        RAISE EXCEPTION 'sale %: payments amount total % does not equal the lines total %', s.idempotency_key, s.paid, s.gross
            USING ERRCODE = 'check_violation';
    END IF;

    -- One statement posts the rest: stock through recipes (level rows locked
    -- in item order; a refund leaves the poured stock used, a void puts it
    -- back), the entry with its lines, and the event.  Stock use is worked
    -- out once, per category and item, for both the movements and the cost
    -- of goods (exact numeric: the same sums as line by line).
    WITH entry AS (
        INSERT INTO pub.journal_entry (venue_id, entry_date, source, source_id, idempotency_key, memo)
        VALUES (s.venue_id, s.d, 'sale', p_sale, 'sale:' || p_sale, s.kind || ' ' || s.idempotency_key)
        RETURNING id
    ), ln AS (
        SELECT l.line_no, l.product_id, l.quantity, p.name, p.category, r.rate, l.quantity * l.unit_price AS g,
               l.quantity * l.unit_price * r.rate / (100 + r.rate) AS vf
          FROM pub.sale_line l JOIN pub.product p ON p.id = l.product_id
          JOIN pub.vat_rate r ON r.country = s.country AND r.tax_class = p.tax_class
                             AND r.valid_from <= s.d AND (r.valid_to IS NULL OR r.valid_to >= s.d)
         WHERE l.sale_id = p_sale
    ), use AS (
        SELECT ln.category, r.stock_item_id, sum(ln.quantity * r.quantity) AS q
          FROM ln JOIN pub.recipe_line r ON r.product_id = ln.product_id
         WHERE s.kind <> 'refund'
         GROUP BY ln.category, r.stock_item_id
    ), lk AS (
        SELECT sl.stock_item_id, sl.avg_cost FROM pub.stock_level sl
         WHERE sl.stock_item_id IN (SELECT stock_item_id FROM use)
         ORDER BY sl.stock_item_id FOR UPDATE
    ), moves AS (
        INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, source_id, moved_on)
        SELECT s.venue_id, use.stock_item_id, s.kind, -sgn * sum(use.q), lk.avg_cost, p_sale, s.d
          FROM use JOIN lk USING (stock_item_id)
         GROUP BY use.stock_item_id, lk.avg_cost ORDER BY use.stock_item_id
    ), cogs AS (
        SELECT use.category, round(sum(use.q * lk.avg_cost), 2) AS c
          FROM use JOIN lk USING (stock_item_id) GROUP BY use.category
    ), by_rate AS (          -- VAT rounded once per document and rate
        SELECT rate, sum(g) AS g, pub.round_vat(sum(vf), s.rounding_rule) AS v FROM ln GROUP BY rate
    ), by_cat AS (           -- net by category; the rounding cent goes to the largest
        SELECT c.category, c.rate,
               round(c.g - c.vf, 2)
               + CASE WHEN row_number() OVER (PARTITION BY c.rate ORDER BY c.g DESC, c.category) = 1
                      THEN (br.g - br.v) - sum(round(c.g - c.vf, 2)) OVER (PARTITION BY c.rate) ELSE 0 END AS net
          FROM (SELECT category, rate, sum(g) AS g, sum(vf) AS vf FROM ln GROUP BY category, rate) c
          JOIN by_rate br USING (rate)
    ), amounts (role, category, amount, rate) AS (   -- signed: debit > 0, credit < 0
        SELECT method, NULL::text, sgn * amount, NULL::numeric FROM pub.sale_payment WHERE sale_id = p_sale
        UNION ALL SELECT 'revenue', category, -sgn * sum(net), NULL FROM by_cat GROUP BY category
        UNION ALL SELECT 'vat_output', NULL, -sgn * v, rate FROM by_rate
        UNION ALL SELECT 'cogs', category, sgn * c, NULL FROM cogs
        UNION ALL SELECT 'inventory', NULL, -sgn * sum(c), NULL FROM cogs
    ), lines AS (
        INSERT INTO pub.journal_line (entry_id, venue_id, account_id, debit, credit, vat_rate)
        SELECT entry.id, s.venue_id, a.id, greatest(x.amount, 0), greatest(-x.amount, 0), x.rate
          FROM entry, amounts x JOIN pub.account a
            ON a.venue_id = s.venue_id AND a.role = x.role AND coalesce(a.category, '') = coalesce(x.category, '')
         WHERE x.amount <> 0
    ), event AS (
        INSERT INTO pub.outbox (aggregatetype, aggregateid, type, payload, venue_id)
        SELECT 'sale', p_sale::text, 'SaleRecorded',
               jsonb_build_object('sale_id', p_sale, 'venue_id', s.venue_id, 'kind', s.kind,
                                  'idempotency_key', s.idempotency_key, 'business_date', s.d,
                                  'sold_at', s.sold_at, 'gross', round(sum(ln.g), 2),
                                  'lines', jsonb_agg(jsonb_build_object(
                                      'product_id', ln.product_id, 'name', ln.name, 'category', ln.category,
                                      'quantity', ln.quantity, 'amount', round(ln.g, 2)) ORDER BY ln.line_no)),
               s.venue_id
          FROM ln
    )
    SELECT id INTO e FROM entry;
    RETURN e;
END $$;
COMMENT ON FUNCTION pub.post_sale(bigint) IS 'Internal: posts a sale (stock, VAT, COGS, journal, event) once; called by the sale_posted trigger';

CREATE FUNCTION pub.sale_post_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
BEGIN
    PERFORM pub.post_sale(NEW.id);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.sale_post_trigger() IS 'Deferred constraint trigger: posts each sale once, at commit, with all its lines';
CREATE CONSTRAINT TRIGGER sale_posted AFTER INSERT ON pub.sale
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pub.sale_post_trigger();
COMMENT ON TRIGGER sale_posted ON pub.sale IS 'At commit (or when record_sale asks): posts the sale once with all its lines and payments';

-- Records a whole sale from JSON, validated field by field:
-- {"venue_id": 1, "idempotency_key": "T1-0001", "sold_at": "...", "till": "bar 1",
--  "kind": "sale"|"void"|"refund", "original_sale_id": null,
--  "lines": [{"product_id": 3, "quantity": 2, "unit_price": 5.60}],   -- unit_price defaults to the product's
--  "payments": [{"method": "card", "amount": 11.20}]}                  -- defaults to one card payment of the total
-- Returns {"sale_id", "duplicate", "gross", "lines"}.  A resend of the same
-- idempotency key is a no-op returning the first sale with duplicate = true.
CREATE FUNCTION pub.record_sale(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v_venue bigint; v_key text; v_sale bigint; l jsonb; i int := 0; prod record;
    v_qty numeric; v_price numeric; total numeric := 0; pays jsonb; paid numeric := 0;
BEGIN
    IF jsonb_typeof(p->'venue_id') IS DISTINCT FROM 'number' THEN
        RAISE EXCEPTION 'venue_id is required (a number)' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_venue := (p->>'venue_id')::bigint;
    IF NOT EXISTS (SELECT 1 FROM pub.venue WHERE id = v_venue) THEN
        RAISE EXCEPTION 'venue_id % does not exist', v_venue USING ERRCODE = 'foreign_key_violation';
    END IF;
    v_key := p->>'idempotency_key';
    IF coalesce(v_key, '') = '' THEN
        RAISE EXCEPTION 'idempotency_key is required' USING ERRCODE = 'not_null_violation';
    END IF;
    SELECT id INTO v_sale FROM pub.sale WHERE venue_id = v_venue AND idempotency_key = v_key;
    IF v_sale IS NOT NULL THEN
        RETURN jsonb_build_object('sale_id', v_sale, 'duplicate', true);
    END IF;
    IF jsonb_typeof(p->'lines') IS DISTINCT FROM 'array' OR jsonb_array_length(p->'lines') = 0 THEN
        RAISE EXCEPTION 'lines must be a non-empty array' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR l IN SELECT * FROM jsonb_array_elements(p->'lines') LOOP
        i := i + 1;
        SELECT id, venue_id, active, price INTO prod FROM pub.product WHERE id = (l->>'product_id')::bigint;
        IF prod.id IS NULL THEN
            RAISE EXCEPTION 'lines[%].product_id % is not a known product', i, coalesce(l->>'product_id', 'null')
                USING ERRCODE = 'foreign_key_violation';
        ELSIF prod.venue_id <> v_venue THEN
            RAISE EXCEPTION 'lines[%].product_id % belongs to another venue, not venue_id %', i, prod.id, v_venue
                USING ERRCODE = 'foreign_key_violation';
        ELSIF NOT prod.active THEN
            RAISE EXCEPTION 'lines[%].product_id % is inactive', i, prod.id USING ERRCODE = 'foreign_key_violation';
        END IF;
        v_qty := (l->>'quantity')::numeric;
        IF v_qty IS NULL OR v_qty <= 0 THEN
            RAISE EXCEPTION 'lines[%].quantity must be greater than zero, got %', i, coalesce(l->>'quantity', 'null')
                USING ERRCODE = 'check_violation', HINT = 'Record returns as a sale of kind refund or void.';
        END IF;
        v_price := coalesce((l->>'unit_price')::numeric, prod.price);
        IF v_price < 0 OR v_price <> round(v_price, 2) THEN
            RAISE EXCEPTION 'lines[%].unit_price % must be a non-negative amount with at most two decimals', i, v_price
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        total := total + v_qty * v_price;
    END LOOP;
    pays := coalesce(p->'payments', jsonb_build_array(jsonb_build_object('method', 'card', 'amount', round(total, 2))));
    FOR l IN SELECT * FROM jsonb_array_elements(pays) LOOP
        IF coalesce(l->>'method', '') NOT IN ('cash', 'card') THEN
            RAISE EXCEPTION 'payments.method must be cash or card, got %', coalesce(l->>'method', 'null')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF (l->>'amount')::numeric <> round((l->>'amount')::numeric, 2) THEN
            RAISE EXCEPTION 'payments.amount % has more than two decimals', l->>'amount'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        paid := paid + (l->>'amount')::numeric;
    END LOOP;
    IF paid <> round(total, 2) THEN
        RAISE EXCEPTION 'payments amount total % does not equal the lines total %', paid, total
            USING ERRCODE = 'check_violation';
    END IF;

    INSERT INTO pub.sale (venue_id, idempotency_key, kind, original_sale_id, sold_at, till)
    VALUES (v_venue, v_key, coalesce(p->>'kind', 'sale'), (p->>'original_sale_id')::bigint,
            coalesce((p->>'sold_at')::timestamptz, now()), p->>'till')
    ON CONFLICT (venue_id, idempotency_key) DO NOTHING
    RETURNING id INTO v_sale;
    IF v_sale IS NULL THEN   -- a concurrent resend won the race
        SELECT id INTO v_sale FROM pub.sale WHERE venue_id = v_venue AND idempotency_key = v_key;
        RETURN jsonb_build_object('sale_id', v_sale, 'duplicate', true);
    END IF;
    INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price)
    SELECT v_sale, o, v_venue, (x->>'product_id')::bigint, (x->>'quantity')::numeric,
           coalesce((x->>'unit_price')::numeric, (SELECT price FROM pub.product WHERE id = (x->>'product_id')::bigint))
      FROM jsonb_array_elements(p->'lines') WITH ORDINALITY t(x, o);
    INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount)
    SELECT v_sale, x->>'method', v_venue, sum((x->>'amount')::numeric)
      FROM jsonb_array_elements(pays) x GROUP BY x->>'method';
    -- Post now rather than at commit, so errors surface here.
    SET CONSTRAINTS pub.sale_posted IMMEDIATE;
    SET CONSTRAINTS pub.sale_posted DEFERRED;
    RETURN jsonb_build_object('sale_id', v_sale, 'duplicate', false, 'gross', round(total, 2), 'lines', i);
END $$;
COMMENT ON FUNCTION pub.record_sale(jsonb) IS
    'Records and posts a whole sale from JSON with validation; idempotent on (venue_id, idempotency_key)';

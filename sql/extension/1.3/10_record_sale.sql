-- ===========================================================================
-- record_sale's total is the posting's: the sum of the lines' amounts, each
-- round(quantity × unit_price, 2) (1.2 rounded the sum instead, so a sale
-- with two lines of fractional cents could disagree with the posting by a
-- cent).  Only the four lines of the total differ from 1.0's function.
-- ===========================================================================

CREATE OR REPLACE FUNCTION pub.record_sale(p jsonb) RETURNS jsonb
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
        total := total + round(v_qty * v_price, 2);   -- the line's amount, as the posting takes it
    END LOOP;
    pays := coalesce(p->'payments', jsonb_build_array(jsonb_build_object('method', 'card', 'amount', total)));
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
    IF paid <> total THEN
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
    RETURN jsonb_build_object('sale_id', v_sale, 'duplicate', false, 'gross', total, 'lines', i);
END $$;
COMMENT ON FUNCTION pub.record_sale(jsonb) IS
    'Records and posts a whole sale from JSON with validation; idempotent on (venue_id, idempotency_key); its total is the sum of round(quantity × unit_price, 2) over the lines';

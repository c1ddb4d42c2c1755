-- ===========================================================================
-- Documents in: Square orders.  The order's shape follows Square's Orders
-- API: line_items (or, in a return, returns[].return_line_items) with
-- quantity as a decimal string and Money in minor units, taxes of type
-- INCLUSIVE with percentage strings, tenders CARD/CASH with tip_money.
-- ===========================================================================

-- Square line items as record_sale lines, with a VAT comparison per line.
-- A mapped modifier becomes its own line (its recipe depletes stock); an
-- unmapped one (a free "slice of lime") stays in its line's price.
CREATE FUNCTION pub.square_items(p_venue bigint, p_items jsonb, p_taxes jsonb, p_field text, p_on date,
                                 OUT lines jsonb, OUT checks jsonb, OUT gross numeric)
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    v pub.venue; li jsonb; n int := 0; f text; qty numeric; prod record; g numeric; g0 numeric; mg numeric;
    md jsonb; mn int; mprod bigint; rate numeric; types text; sq_rate numeric; sq_tax numeric; our_tax numeric;
BEGIN
    SELECT * INTO v FROM pub.venue WHERE id = p_venue;
    lines := '[]'; checks := '[]'; gross := 0;
    IF jsonb_typeof(p_items) IS DISTINCT FROM 'array' OR jsonb_array_length(p_items) = 0 THEN
        RAISE EXCEPTION '% must be a non-empty array', p_field USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR li IN SELECT * FROM jsonb_array_elements(p_items) LOOP
        n := n + 1; f := format('%s[%s]', p_field, n);
        IF jsonb_typeof(li) IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION '% must be an object', f USING ERRCODE = 'invalid_parameter_value';
        END IF;
        qty := pub.doc_decimal(li->>'quantity', f || '.quantity');
        IF qty <= 0 THEN
            RAISE EXCEPTION '%.quantity must be greater than zero, got %', f, qty USING ERRCODE = 'check_violation';
        END IF;
        SELECT p.id, p.tax_class INTO prod FROM pub.pos_product_map m JOIN pub.product p ON p.id = m.product_id
         WHERE m.venue_id = p_venue AND m.source = 'square' AND m.code = li->>'catalog_object_id';
        IF prod.id IS NULL THEN
            RAISE EXCEPTION '%: catalog_object_id % (%) is not mapped to a product', f,
                  coalesce(li->>'catalog_object_id', 'null'), coalesce(left(li->>'name', 60), 'no name')
                USING ERRCODE = 'foreign_key_violation',
                      HINT = 'Map it with pub.map_pos_product(venue_id, ''square'', catalog_object_id, product_id) and send the order again.';
        END IF;
        g := pub.square_money(li->'total_money', f || '.total_money', v.currency);
        IF g < 0 THEN
            RAISE EXCEPTION '%.total_money must not be negative', f USING ERRCODE = 'check_violation';
        END IF;
        gross := gross + g; g0 := g;
        -- Mapped modifiers: their own lines, taken out of the item's amount.
        mn := 0;
        FOR md IN SELECT * FROM jsonb_array_elements(CASE jsonb_typeof(li->'modifiers') WHEN 'array' THEN li->'modifiers' ELSE '[]' END) LOOP
            mn := mn + 1;
            SELECT m.product_id INTO mprod FROM pub.pos_product_map m
             WHERE m.venue_id = p_venue AND m.source = 'square' AND m.code = md->>'catalog_object_id';
            CONTINUE WHEN mprod IS NULL;
            mg := pub.square_money(md->'total_price_money', format('%s.modifiers[%s].total_price_money', f, mn), v.currency);
            IF mg < 0 OR mg > g THEN
                RAISE EXCEPTION '%.modifiers[%].total_price_money % is outside the line total %', f, mn, mg, g
                    USING ERRCODE = 'check_violation';
            END IF;
            g := g - mg;
            lines := lines || (SELECT coalesce(jsonb_agg(x), '[]') FROM pub.pos_sale_lines(mprod,
                        qty * coalesce(pub.doc_decimal(md->>'quantity', format('%s.modifiers[%s].quantity', f, mn), false), 1),
                        mg, format('%s.modifiers[%s]', f, mn)) x);
        END LOOP;
        lines := lines || (SELECT coalesce(jsonb_agg(x), '[]') FROM pub.pos_sale_lines(prod.id, qty, g, f) x);

        -- VAT: Square's applied taxes on the line against our rate for the product.
        SELECT sum(pub.doc_decimal(t->>'percentage', f || ' tax percentage')), string_agg(DISTINCT t->>'type', ',')
          INTO sq_rate, types
          FROM jsonb_array_elements(CASE jsonb_typeof(p_taxes) WHEN 'array' THEN p_taxes ELSE '[]' END) t
         WHERE t->>'scope' = 'ORDER'
            OR t->>'uid' IN (SELECT a->>'tax_uid' FROM jsonb_array_elements(
                                 CASE jsonb_typeof(li->'applied_taxes') WHEN 'array' THEN li->'applied_taxes' ELSE '[]' END) a);
        rate := pub.vat_rate_on(v.country, prod.tax_class, p_on);
        sq_tax := pub.square_money(li->'total_tax_money', f || '.total_tax_money', v.currency, false);
        our_tax := round(g0 * rate / (100 + rate), 2);
        IF coalesce(sq_rate, 0) <> rate OR coalesce(types, 'INCLUSIVE') <> 'INCLUSIVE' OR abs(sq_tax - our_tax) > 0.01 THEN
            checks := checks || jsonb_build_object('line_uid', li->>'uid', 'product_id', prod.id, 'pos_type', types,
                                                   'pos_rate', coalesce(sq_rate, 0), 'our_rate', rate,
                                                   'pos_tax', sq_tax, 'our_tax', our_tax);
        END IF;
    END LOOP;
END $$;
COMMENT ON FUNCTION pub.square_items(bigint, jsonb, jsonb, text, date) IS
    'Internal: Square line items as record_sale lines (mapped modifiers as their own lines), the gross, and the lines whose VAT differs from ours';

-- Payments of a Square order by method: tenders (less their tips) for a
-- sale, refunds (back the way the original was paid) for a return.
CREATE FUNCTION pub.square_payments(p_venue bigint, o jsonb, p_original_tenders jsonb,
                                    OUT payments jsonb, OUT tips jsonb, OUT tenders jsonb)
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    cur text := (SELECT currency FROM pub.venue WHERE id = p_venue);
    t jsonb; n int := 0; f text; m text; amt numeric; tip numeric; pay jsonb := '{}'; tp jsonb := '{}';
    src text := CASE WHEN p_original_tenders IS NULL THEN 'tenders' ELSE 'refunds' END;
BEGIN
    tenders := '{}';
    IF jsonb_typeof(o->src) IS DISTINCT FROM 'array' OR jsonb_array_length(o->src) = 0 THEN
        RAISE EXCEPTION 'order %: % must be a non-empty array', o->>'id', src USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR t IN SELECT * FROM jsonb_array_elements(o->src) LOOP
        n := n + 1; f := format('%s[%s]', src, n);
        CONTINUE WHEN src = 'refunds' AND t->>'status' IN ('FAILED', 'REJECTED');
        IF src = 'tenders' THEN
            m := CASE t->>'type' WHEN 'CARD' THEN 'card' WHEN 'CASH' THEN 'cash' END;
            IF m IS NULL THEN
                RAISE EXCEPTION 'order %: %.type % is not supported (CARD and CASH are)', o->>'id', f, coalesce(t->>'type', 'null')
                    USING ERRCODE = 'feature_not_supported';
            END IF;
            tenders := tenders || jsonb_build_object(coalesce(t->>'id', f), m);
        ELSE
            m := coalesce(p_original_tenders->>(t->>'tender_id'), 'card');
        END IF;
        amt := pub.square_money(t->'amount_money', f || '.amount_money', cur);
        tip := pub.square_money(t->'tip_money', f || '.tip_money', cur, false);
        IF amt < 0 OR tip < 0 OR tip > amt THEN
            RAISE EXCEPTION 'order %: %: amount % and tip % must be non-negative, the tip within the amount', o->>'id', f, amt, tip
                USING ERRCODE = 'check_violation';
        END IF;
        pay := jsonb_set(pay, ARRAY[m], to_jsonb(coalesce((pay->>m)::numeric, 0) + amt - tip));
        tp := jsonb_set(tp, ARRAY[m], to_jsonb(coalesce((tp->>m)::numeric, 0) + tip));
    END LOOP;
    SELECT coalesce(jsonb_agg(jsonb_build_object('method', key, 'amount', value::numeric) ORDER BY key), '[]')
      INTO payments FROM jsonb_each_text(pay);
    tips := tp;
END $$;
COMMENT ON FUNCTION pub.square_payments(bigint, jsonb, jsonb) IS
    'Internal: a Square order''s payments by method (tenders less tips, or refunds), its tips by method, and its tender id -> method map';

-- Ingests one Square Order (bare, or as {"order": {...}} from the API).
CREATE FUNCTION pub.ingest_square_order(p_venue bigint, p_order jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v pub.venue; o jsonb; oid text; ver bigint; st text; old pub.pos_order; is_return boolean;
    sold timestamptz; d date; it record; pm record; orig pub.pos_order; paid numeric; res jsonb;
BEGIN
    SELECT * INTO v FROM pub.venue WHERE id = p_venue;
    IF v.id IS NULL THEN
        RAISE EXCEPTION 'venue_id % does not exist', coalesce(p_venue::text, 'null') USING ERRCODE = 'foreign_key_violation';
    END IF;
    o := CASE WHEN jsonb_typeof(p_order->'order') = 'object' THEN p_order->'order' ELSE p_order END;
    IF jsonb_typeof(o) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'order must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    oid := o->>'id';
    IF jsonb_typeof(o->'id') IS DISTINCT FROM 'string' OR oid = '' OR length(oid) > 192 THEN
        RAISE EXCEPTION 'order id must be a non-empty string of at most 192 characters' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(o->'version') IS DISTINCT FROM 'number' OR (o->>'version') !~ '^[0-9]{1,15}$' THEN
        RAISE EXCEPTION 'order %: version must be a non-negative integer, got %', oid, left(coalesce(o->>'version', 'null'), 40)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    ver := (o->>'version')::bigint;
    st := o->>'state';
    IF st IS NULL OR st NOT IN ('OPEN', 'COMPLETED', 'CANCELED', 'DRAFT') THEN
        RAISE EXCEPTION 'order %: state % is not OPEN, COMPLETED, CANCELED or DRAFT', oid, coalesce(st, 'null')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- One order at a time: versions of it may arrive concurrently.
    PERFORM pg_advisory_xact_lock(hashtextextended('pub.pos_order:square:' || p_venue || ':' || oid, 0));
    SELECT * INTO old FROM pub.pos_order WHERE venue_id = p_venue AND source = 'square' AND order_id = oid;
    IF old.version IS NOT NULL AND ver <= old.version THEN
        RETURN jsonb_build_object('order_id', oid, 'version', ver, 'result', CASE WHEN ver = old.version THEN 'duplicate' ELSE 'stale' END,
                                  'sale_id', old.sale_id);
    END IF;
    INSERT INTO pub.pos_order (venue_id, source, order_id, version, state) VALUES (p_venue, 'square', oid, ver, st)
    ON CONFLICT (venue_id, source, order_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, updated_at = now();
    IF old.sale_id IS NOT NULL OR st <> 'COMPLETED' THEN
        RETURN jsonb_build_object('order_id', oid, 'version', ver, 'sale_id', old.sale_id,
                                  'result', CASE WHEN old.sale_id IS NOT NULL THEN 'already_posted' ELSE 'recorded' END);
    END IF;

    BEGIN
        sold := coalesce(o->>'closed_at', o->>'updated_at', o->>'created_at')::timestamptz;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
        RAISE EXCEPTION 'order %: closed_at "%" is not a timestamp', oid, left(o->>'closed_at', 40) USING ERRCODE = 'invalid_datetime_format';
    END;
    IF sold IS NULL THEN
        RAISE EXCEPTION 'order %: closed_at is missing', oid USING ERRCODE = 'not_null_violation';
    END IF;
    d := (sold AT TIME ZONE v.time_zone)::date;
    IF jsonb_typeof(o->'service_charges') = 'array' AND jsonb_array_length(o->'service_charges') > 0 THEN
        RAISE EXCEPTION 'order %: service_charges are not supported', oid USING ERRCODE = 'feature_not_supported';
    END IF;

    is_return := jsonb_typeof(o->'returns') = 'array' AND jsonb_array_length(o->'returns') > 0;
    IF is_return THEN
        IF jsonb_array_length(o->'returns') > 1 THEN
            RAISE EXCEPTION 'order %: a return of more than one source order is not supported', oid USING ERRCODE = 'feature_not_supported';
        END IF;
        SELECT * INTO orig FROM pub.pos_order
         WHERE venue_id = p_venue AND source = 'square' AND order_id = o->'returns'->0->>'source_order_id';
        IF orig.sale_id IS NULL THEN
            RAISE EXCEPTION 'order %: returns[1].source_order_id % has not been posted here', oid, coalesce(o->'returns'->0->>'source_order_id', 'null')
                USING ERRCODE = 'foreign_key_violation', HINT = 'Ingest the original order first.';
        END IF;
        it := pub.square_items(p_venue, o->'returns'->0->'return_line_items', o->'returns'->0->'return_taxes', 'returns[1].return_line_items', d);
        pm := pub.square_payments(p_venue, o, orig.tenders);
    ELSE
        it := pub.square_items(p_venue, o->'line_items', o->'taxes', 'line_items', d);
        pm := pub.square_payments(p_venue, o, NULL);
    END IF;
    SELECT coalesce(sum((x->>'amount')::numeric), 0) INTO paid FROM jsonb_array_elements(pm.payments) x;
    -- A return cannot give back more than was paid, over all its returns.
    IF is_return AND it.gross + (SELECT coalesce(sum(p.amount), 0) FROM pub.sale r JOIN pub.sale_payment p ON p.sale_id = r.id
                                  WHERE r.original_sale_id = orig.sale_id AND r.kind = 'refund')
                     > (SELECT sum(amount) FROM pub.sale_payment WHERE sale_id = orig.sale_id) THEN
        RAISE EXCEPTION 'order %: returns of order % would exceed what was paid for it', oid, orig.order_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF paid <> it.gross THEN
        RAISE EXCEPTION 'order %: % less tips total % but the items total %', oid,
              CASE WHEN is_return THEN 'refunds' ELSE 'tenders' END, paid, it.gross
            USING ERRCODE = 'check_violation';
    END IF;

    res := pub.record_sale(jsonb_build_object(
        'venue_id', p_venue, 'idempotency_key', 'square:' || oid, 'sold_at', sold,
        'till', 'square ' || coalesce(o->>'location_id', ''), 'kind', CASE WHEN is_return THEN 'refund' ELSE 'sale' END,
        'original_sale_id', orig.sale_id, 'lines', it.lines, 'payments', pm.payments));
    INSERT INTO pub.pos_tax_mismatch (venue_id, source, order_id, line_uid, product_id, pos_type, pos_rate, our_rate, pos_tax, our_tax)
    SELECT p_venue, 'square', oid, x.line_uid, x.product_id, x.pos_type, x.pos_rate, x.our_rate, x.pos_tax, x.our_tax
      FROM jsonb_to_recordset(it.checks) AS x(line_uid text, product_id bigint, pos_type text, pos_rate numeric,
                                              our_rate numeric, pos_tax numeric, our_tax numeric);
    UPDATE pub.pos_order SET kind = CASE WHEN is_return THEN 'refund' ELSE 'sale' END, sale_id = (res->>'sale_id')::bigint,
           tip = (SELECT coalesce(sum(value::numeric), 0) FROM jsonb_each_text(pm.tips)), tips = pm.tips,
           tax_mismatch = jsonb_array_length(it.checks) > 0, tenders = pm.tenders
     WHERE venue_id = p_venue AND source = 'square' AND order_id = oid;
    RETURN jsonb_build_object('order_id', oid, 'version', ver, 'result', 'posted', 'sale_id', (res->>'sale_id')::bigint,
                              'kind', CASE WHEN is_return THEN 'refund' ELSE 'sale' END, 'gross', it.gross,
                              'tip', (SELECT coalesce(sum(value::numeric), 0) FROM jsonb_each_text(pm.tips)),
                              'tax_mismatch', jsonb_array_length(it.checks) > 0);
END $$;
COMMENT ON FUNCTION pub.ingest_square_order(bigint, jsonb) IS
    'Ingests a Square Order: idempotent on (order id, version), older versions ignored; a COMPLETED order is posted once as a sale (a return as a refund), tips to the tips liability (by trigger), VAT differences recorded in pos_tax_mismatch';
